package dev.athanor.helm.containers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import dev.athanor.helm.render.ChartRendering;
import dev.athanor.helm.render.Manifests;
import dev.athanor.helm.render.RepoPaths;
import dev.athanor.helm.render.ValuesSet;
import dev.athanor.proto.tensorboard.Event;
import dev.athanor.proto.tensorboard.Summary;
import dev.athanor.testing.OptionalPart;
import dev.athanor.testing.keycloak.AthanorRealm;
import dev.athanor.testing.keycloak.KeycloakServer;
import dev.athanor.tfevents.event.EventFileWriter;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * Issue 19, point 2: the images built here (deploy/containers/build-images.sh) run in podman
 * exactly as the rendered chart runs them ({@link PodTranslation}), against real PostgreSQL,
 * Keycloak and s3proxy on this machine. Each pod gets its own address on a podman network, as on a
 * cluster, so the chart's fixed container ports clash with nothing; Services are host names of
 * the pods' addresses. The probes are polled as the kubelet polls them ({@link Prober}). A training
 * pod's uploader sidecar (helm/examples/uploader-job.yaml, in its image) uploads a logdir with its
 * client credentials through the ingest container; a reader reads it back through the query
 * container; the web-ui container serves the UI; the archive container beside ingest copies the
 * sealed segments to the bucket and the query container serves an image from that copy. Then a
 * person reads it as in a cluster: the chart's Ingress ({@link IngressNginx}: nginx routing /api to
 * the query pod and / to the web-ui pod, as rendered) serves the UI's address; through it, with a
 * reader's token, the experiment list and the export; and in chromium, demo-reader signs in on
 * Keycloak from the app the web-ui container serves, finds the experiment, its run and the loss chart.
 * Skips, saying why, where podman (or mmdebstrap for the bases) is missing.
 */
class ChartInContainersTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BUCKET = "athanor-archive";
    private static final String EXPERIMENT = "resnet50-sweep";
    private static final String PROJECT = "demo";
    private static final int STEPS = 20;
    private static final String RUN = "run-lr-0.1";
    /** The Ingress host: a name browsers resolve to loopback, which the realm's web client already allows. */
    private static final String UI_HOST = "localhost";
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(10);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final KubernetesSerialization serialization = new KubernetesSerialization();

    private static void log(String line) {
        System.out.println("[containers] " + line);
    }

    @Test
    void theChartsPodsRunInPodmanAsRenderedAndCarryAnUploadToTheArchive() throws Exception {
        Podman.Availability found = Podman.find();
        if (found.podman() == null) {
            log("SKIPPED: " + found.missing());
        }
        OptionalPart.PODMAN.assumePresent(found.podman() != null, found::missing);
        boolean canBuildBases = onPath("mmdebstrap") || System.getenv("ATHANOR_JAVA_BASE") != null;
        if (!canBuildBases) {
            log("SKIPPED: mmdebstrap is not installed, so the Debian bases of the images cannot be made "
                    + "(apt-get install mmdebstrap; .ci/run does it as root)");
        }
        OptionalPart.PODMAN.assumePresent(canBuildBases, "mmdebstrap is missing");
        // A person reads the upload through the chart's Ingress (nginx here) and the web-ui container, in chromium.
        Path nginx = IngressNginx.executable().orElse(null);
        if (nginx == null) {
            log("SKIPPED: nginx is not installed, so the chart's Ingress cannot be served (apt-get install -y nginx)");
        }
        OptionalPart.NGINX.assumePresent(nginx != null, "nginx (the chart's Ingress) is missing");
        PersonsBrowser.Found chromium = PersonsBrowser.Found.onThisMachine().orElse(null);
        if (chromium == null) {
            log("SKIPPED: chromium and chromium-driver are not installed (apt-get install -y chromium chromium-driver)");
        }
        OptionalPart.CHROMIUM.assumePresent(chromium != null, "chromium or chromium-driver is missing");
        Podman podman = found.podman();
        Path repo = RepoPaths.root();

        String runId = String.format("%06x", ThreadLocalRandom.current().nextInt(0x1000000));
        Path work = repo.resolve("helm/target/container-run/" + runId);
        Files.createDirectories(work);
        String network = "athanor-run-" + runId;
        String label = runId;
        List<String> containers = new ArrayList<>();
        KeycloakServer keycloak = null;
        CompletableFuture<KeycloakServer> keycloakStart = null;
        HostServices.Postgres postgres = null;
        HostServices.S3Proxy s3 = null;
        IngressNginx ingressController = null;
        PersonsBrowser browser = null;
        Prober prober = new Prober(ChartInContainersTest::log);
        try {
            podman.run("network", "create", "--label", "dev.athanor.container-run=" + label, network).orFail("podman network create");
            JsonNode subnet = JSON.readTree(podman.run("network", "inspect", network).orFail("podman network inspect").output())
                    .get(0).get("subnets").get(0);
            String gateway = subnet.get("gateway").asText();
            String prefix = gateway.substring(0, gateway.lastIndexOf('.') + 1);
            log("network " + network + ": " + subnet.get("subnet").asText() + ", this machine is " + gateway);

            // The UI's address, as the Ingress serves it on this machine (a host the realm's own
            // redirect URIs accept as loopback), is added to the web client as helm/README.md asks.
            int uiPort = freePort();
            String ui = "http://" + UI_HOST + ":" + uiPort;
            Path realm = realmWithUiOrigin(ui, work.resolve("athanor-realm.json"));
            // Keycloak is the slowest to start: in the background while the rest comes up.
            keycloakStart = CompletableFuture.supplyAsync(() ->
                    KeycloakServer.start(KeycloakServer.Options.defaults().realmFiles(realm).host(gateway)
                            .logFile(work.resolve("keycloak.log"))));
            long started = System.nanoTime();
            buildImages(repo);
            log(String.format("images built in %.1f s", (System.nanoTime() - started) / 1e9));
            postgres = HostServices.Postgres.start(work.resolve("postgres"), "athanor", "athanor", "athanor-db-secret");
            s3 = HostServices.S3Proxy.start(work.resolve("s3"), BUCKET);
            try {
                keycloak = keycloakStart.join();

            } catch (RuntimeException e) {
                throw new IllegalStateException("Keycloak did not start: " + e.getMessage(), e);
            }
            String issuer = keycloak.issuer();
            log("PostgreSQL on " + gateway + ":" + postgres.port() + ", s3proxy on " + gateway + ":" + s3.port()
                    + ", Keycloak issuer " + issuer);

            // The chart as an operator would install it here: their database, bucket, Keycloak; one replica each.
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("postgresql.host", gateway);
            values.put("postgresql.port", postgres.port());
            values.put("auth.issuerUrl", issuer);
            values.put("objectStorage.s3.bucket", BUCKET);
            values.put("objectStorage.s3.endpoint", "http://" + gateway + ":" + s3.port());
            values.put("objectStorage.s3.pathStyle", true);
            values.put("objectStorage.s3.existingSecret", "athanor-s3");
            values.put("ingest.autoscaling.enabled", false);
            values.put("ingest.replicas", 1);
            values.put("query.autoscaling.enabled", false);
            values.put("query.replicas", 1);
            values.put("webUi.replicas", 1);
            values.put("archive.tiering.interval", "5s");
            values.put("ingress.host", UI_HOST);
            values.put("ingress.tls.enabled", false);
            Manifests manifests = ChartRendering.render(ValuesSet.DEFAULT, values);
            Files.writeString(work.resolve("rendered.yaml"), ChartRendering.template(ValuesSet.DEFAULT, values));

            Map<String, ConfigMap> configMaps = PodTranslation.index(manifests.all(ConfigMap.class), c -> c.getMetadata().getName());
            Map<String, Map<String, String>> secrets = Map.of(
                    "athanor-postgresql", Map.of("username", "athanor", "password", "athanor-db-secret"),
                    "athanor-s3", Map.of("access-key-id", HostServices.S3Proxy.IDENTITY,
                            "secret-access-key", HostServices.S3Proxy.CREDENTIAL),
                    "athanor-uploader-vision", Map.of("client-secret", "uploader-demo-dev-secret\n"));
            PodTranslation.Cluster cluster = new PodTranslation.Cluster(configMaps, secrets);

            StatefulSet ingestSet = manifests.named(StatefulSet.class, "athanor-ingest");
            String ns = ChartRendering.NAMESPACE;
            String ingestIp = prefix + "10";
            String queryIp = prefix + "11";
            String webIp = prefix + "12";
            // Services and the StatefulSet's stable names resolve to the one pod behind each.
            Map<String, String> hosts = new LinkedHashMap<>();
            hosts.put("athanor-ingest-0.athanor-ingest-headless." + ns + ".svc", ingestIp);
            hosts.put("athanor-ingest." + ns + ".svc", ingestIp);
            hosts.put("athanor-query." + ns + ".svc", queryIp);
            hosts.put("athanor-web-ui." + ns + ".svc", webIp);
            boolean limits = memoryLimitsWork(podman);
            log(limits ? "memory limits: the chart's, enforced by podman"
                    : "memory limits: not enforceable by podman on this machine (cgroup controller missing); not applied");

            PodTranslation.Pod query = new PodTranslation.Pod("athanor-query-podman", ns,
                    manifests.named(Deployment.class, "athanor-query").getSpec().getTemplate().getSpec(), Map.of());
            PodTranslation.Pod ingest = new PodTranslation.Pod("athanor-ingest-0", ns,
                    ingestSet.getSpec().getTemplate().getSpec(), Map.of("hot", work.resolve("pvc/hot-athanor-ingest-0")));
            PodTranslation.Pod web = new PodTranslation.Pod("athanor-web-ui-podman", ns,
                    manifests.named(Deployment.class, "athanor-web-ui").getSpec().getTemplate().getSpec(), Map.of());
            // query first: it applies the schema (the others' startup probes would wait for it on a cluster too).
            containers.addAll(startPod(podman, query, cluster, network, queryIp, hosts, work, label, limits, prober));
            containers.addAll(startPod(podman, ingest, cluster, network, ingestIp, hosts, work, label, limits, prober));
            containers.addAll(startPod(podman, web, cluster, network, webIp, hosts, work, label, limits, prober));
            long probing = System.nanoTime();
            prober.awaitReady(READY_TIMEOUT);
            log(String.format("every container ready %.1f s after the first start: %s", (System.nanoTime() - probing) / 1e9,
                    prober.readiness()));

            for (String name : containers) {
                assertRunsConfined(podman, name);
            }
            log("every container runs as its non-root uid with no capabilities, no-new-privileges, seccomp and a read-only root");

            // A training pod's uploader sidecar, as the example Job runs it; training has written its logdir and stop marker.
            Job job = serialization.unmarshal(Files.readString(RepoPaths.root().resolve("helm/examples/uploader-job.yaml")), Job.class);
            PodSpec jobSpec = job.getSpec().getTemplate().getSpec();
            Container uploader = jobSpec.getInitContainers().stream().filter(c -> c.getName().equals("athanor-uploader"))
                    .findFirst().orElseThrow();
            uploader.setArgs(uploader.getArgs().stream().map(a -> a.startsWith("--issuer=") ? "--issuer=" + issuer
                    : a.startsWith("--client-id=") ? "--client-id=uploader-" + PROJECT
                    : a.startsWith("--project=") ? "--project=" + PROJECT : a).toList());
            jobSpec.setContainers(List.of(uploader));
            jobSpec.setInitContainers(List.of());
            PodTranslation.Pod training = new PodTranslation.Pod("resnet50-lr-0-1-podman", "ml-vision", jobSpec, Map.of());
            Map<String, Path> trainingVolumes = PodTranslation.prepareVolumes(training, cluster, work.resolve("pods/" + training.name()));
            byte[] image = writeLogdir(trainingVolumes.get("logs"));
            String uploaderName = startPod(podman, training, cluster, network, prefix + "20", hosts, work, label, limits, null).get(0);
            containers.add(uploaderName);
            Podman.Result waited = podman.run(List.of("wait", uploaderName), 300);
            assertThat(waited.output().strip()).as("the uploader's exit code; its log:\n%s", logs(podman, uploaderName)).isEqualTo("0");
            log("the uploader sidecar uploaded the logdir as uploader-" + PROJECT + " (client credentials) and exited 0");

            // A reader of the project reads it back through the query container.
            String reader = keycloak.tokens().password(AthanorRealm.TEST_CLIENT, "demo-reader", "demo-reader").accessToken();
            String api = "http://" + queryIp + ":8080/api/v1";
            long experimentId = -1;
            long points = -1;
            for (int i = 0; i < 240 && points != STEPS; i++) {
                JsonNode items = JSON.readTree(get(api + "/experiments?name=" + EXPERIMENT, reader).body()).path("items");
                if (!items.isEmpty()) {
                    experimentId = items.get(0).get("id").asLong();
                    points = get(api + "/export?experiment=" + experimentId + "&tag=loss", reader).body().lines().count();
                }
                if (points != STEPS) {
                    Thread.sleep(500);
                }
            }
            assertThat(points).as("loss points of %s read through the query container", EXPERIMENT).isEqualTo(STEPS);
            assertThat(get(api + "/experiments?name=" + EXPERIMENT, null).statusCode()).as("no token").isEqualTo(401);
            log("query container: " + EXPERIMENT + " has its " + STEPS + " loss points for demo-reader; no token is 401");

            HttpResponse<String> page = get("http://" + webIp + ":8080/", null);
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("<script");
            assertThat(page.headers().firstValue("Content-Security-Policy")).isPresent();
            log("web-ui container: serves the UI (" + page.body().length() + " bytes, with its CSP)");
            String issuerOrigin = URI.create(issuer).resolve("/").toString().replaceAll("/$", "");
            assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                    .as("the CSP lets the app reach the chart's (plain http) issuer")
                    .contains("connect-src 'self' https: " + issuerOrigin + ";").contains("frame-src 'self' https: " + issuerOrigin + ";");


            // The archive container beside ingest copies the sealed segments to the bucket, verifies them and frees the volume.
            Path runPrefix = s3.root().resolve(BUCKET).resolve("athanor").resolve(PROJECT).resolve(EXPERIMENT);
            List<Path> archived = List.of();
            for (int i = 0; i < 240 && archived.isEmpty(); i++) {
                archived = eventFiles(runPrefix);
                if (archived.isEmpty()) {
                    Thread.sleep(500);
                }
            }
            assertThat(archived).as("segments of %s in the bucket under %s", EXPERIMENT, runPrefix).isNotEmpty();
            Path buckets = s3.root();
            log("archive container: copied " + archived.size() + " segment(s) to s3proxy: "
                    + archived.stream().map(p -> buckets.relativize(p).toString()).toList());
            long trainingRun = JSON.readTree(get(api + "/runs?experiment=" + experimentId, reader).body()).path("items").get(0).get("id").asLong();
            String blob = api + "/runs/" + trainingRun + "/blobs/data?tag=samples&step=5&index=2";
            // deleteAfterVerify (the default): once verified in the bucket, the segment leaves the ingest volume,
            // so the image below can only come from the archived copy.
            Path hot = work.resolve("pvc/hot-athanor-ingest-0");
            for (int i = 0; i < 120 && !eventFiles(hot).isEmpty(); i++) {
                Thread.sleep(500);
            }
            assertThat(eventFiles(hot)).as("segments left on the ingest volume after archiving").isEmpty();
            HttpResponse<byte[]> served = http.send(HttpRequest.newBuilder(URI.create(blob)).header("Authorization", "Bearer " + reader)
                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(served.statusCode()).as(new String(served.body())).isEqualTo(200);
            assertThat(served.body()).isEqualTo(image);
            log("query container: the run's image served from the archived copy (the segment has left the ingest volume)");

            // The chart's Ingress as ingress-nginx routes it: /api and /q/openapi to the query Service, / to web-ui.
            Map<String, Service> services = PodTranslation.index(manifests.all(Service.class), sv -> sv.getMetadata().getName());
            Map<String, IngressNginx.Backend> backends = Map.of(
                    "athanor-query", new IngressNginx.Backend(queryIp, query.spec()),
                    "athanor-web-ui", new IngressNginx.Backend(webIp, web.spec()));
            String ingressConf = IngressNginx.configuration(manifests.named(Ingress.class, "athanor"), services, backends, uiPort,
                    work.resolve("ingress"));
            ingressController = IngressNginx.start(nginx, work.resolve("ingress"), ingressConf, uiPort);
            log("Ingress athanor: nginx on " + ui + " routes /api, /q/openapi -> " + queryIp + ":8080 (query), / -> " + webIp
                    + ":8080 (web-ui), as rendered (" + work.resolve("ingress/nginx.conf") + ")");
            // A reader's token of now: the one above may have outlived its five minutes by this point.
            String readerNow = keycloak.tokens().password(AthanorRealm.TEST_CLIENT, "demo-reader", "demo-reader").accessToken();
            readThroughTheUiAddress(ui, readerNow, experimentId);
            log("web-ui address " + ui + ": the page from the web-ui container; as demo-reader the experiment list has "
                    + EXPERIMENT + " and its export has the " + STEPS + " loss points");

            browser = PersonsBrowser.start(chromium);
            readAsAPersonInTheBrowser(browser, ui, experimentId, work);
            List<String> browserCalls = ingressController.accessLog().lines()
                    .filter(l -> l.contains("HeadlessChrome") && l.contains(" /api/")).toList();
            assertThat(String.join("\n", browserCalls)).as("the browser's API calls through the Ingress")
                    .contains("GET /api/v1/experiments?").contains("GET /api/v1/runs?experiment=" + experimentId)
                    .contains("POST /api/v1/scalars");
            assertThat(browserCalls).as("answers to the browser's API calls").allSatisfy(l -> assertThat(l).containsPattern("\" (200|304) "));
            assertThat(logs(podman, PodTranslation.containerName(web, web.spec().getContainers().get(0), label)))
                    .as("the web-ui container's access log").contains("GET /assets/");
            log("web-ui container: the browser's page and assets came from it; its " + browserCalls.size()
                    + " API calls went through the Ingress to the query container, all answered 200/304");

            assertThat(prober.failures()).as("probe failures (restarts on a cluster)").isEmpty();
            log("no probe failed while the round trip ran");
        } finally {
            if (browser != null) {
                browser.close();
            }
            if (ingressController != null) {
                ingressController.close();
            }
            prober.close();
            for (String name : containers) {
                Files.writeString(work.resolve(name + ".log"), logs(podman, name));
            }
            podman.run(List.of("rm", "--force", "--time", "10", "--filter", "label=dev.athanor.container-run=" + label), 120);
            for (String name : containers) {
                podman.run(List.of("rm", "--force", "--time", "5", name), 60);
            }
            podman.run(List.of("network", "rm", "--force", network), 60);
            if (keycloak == null && keycloakStart != null) {
                try {
                    keycloak = keycloakStart.join();
                } catch (RuntimeException notStarted) {
                    log("Keycloak did not start: " + notStarted.getMessage());
                }
            }
            if (keycloak != null) {
                keycloak.close();
            }
            if (postgres != null) {
                postgres.close();
            }
            if (s3 != null) {
                s3.close();
            }
            log("container logs and the rendered chart: " + work);
        }
    }

    /** With a reader's token, what the UI's own calls read, through the UI's address. */
    private void readThroughTheUiAddress(String ui, String reader, long experimentId) throws IOException, InterruptedException {
        HttpResponse<String> page = get(ui + "/", null);
        assertThat(page.statusCode()).as("the UI page through the Ingress").isEqualTo(200);
        assertThat(page.body()).contains("<script");
        assertThat(page.headers().firstValue("Content-Security-Policy")).as("served by the web-ui container's nginx").isPresent();
        JsonNode info = JSON.readTree(get(ui + "/api/v1/info", null).body());
        assertThat(info.path("auth").path("enabled").asBoolean()).as("/api/v1/info: %s", info).isTrue();
        assertThat(get(ui + "/api/v1/experiments?name=" + EXPERIMENT, null).statusCode()).as("no token").isEqualTo(401);
        JsonNode items = JSON.readTree(get(ui + "/api/v1/experiments?name=" + EXPERIMENT, reader).body()).path("items");
        assertThat(items).as("experiments named %s", EXPERIMENT).hasSize(1);
        assertThat(items.get(0).get("id").asLong()).isEqualTo(experimentId);
        assertThat(get(ui + "/api/v1/export?experiment=" + experimentId + "&tag=loss", reader).body().lines().count())
                .as("loss points exported through the UI's address").isEqualTo(STEPS);
    }

    /**
     * demo-reader opens the UI, is sent to Keycloak's login form (code flow with PKCE), signs in,
     * finds the experiment, sees the run in the runs table and its loss chart drawn with every point.
     */
    private static void readAsAPersonInTheBrowser(PersonsBrowser browser, String ui, long experimentId, Path work) throws IOException {
        browser.open(ui + "/#/");
        browser.awaitElement("#username");
        assertThat(browser.currentUrl()).as("the sign-in page").contains("/realms/" + AthanorRealm.NAME + "/protocol/openid-connect/auth")
                .contains("client_id=" + AthanorRealm.WEB_CLIENT).contains("code_challenge_method=S256");
        log("web-ui container: the app sent the browser to Keycloak's login form");
        browser.type("username", AthanorRealm.DEMO_READER.username());
        browser.type("password", AthanorRealm.DEMO_READER.password());
        browser.click("kc-login");
        assertThat(browser.awaitElement(".auth-user").getText()).isEqualTo(AthanorRealm.DEMO_READER.username());
        String listed = browser.await("the experiment " + EXPERIMENT + " in the list", d -> d.findElements(By.cssSelector("a[data-experiment-id]"))
                .stream().filter(a -> a.getText().equals(EXPERIMENT)).findFirst().map(a -> a.getDomAttribute("data-experiment-id")).orElse(null));
        assertThat(listed).isEqualTo(String.valueOf(experimentId));
        log("web-ui container: signed in as " + AthanorRealm.DEMO_READER.username() + " on Keycloak; the experiment list shows " + EXPERIMENT);

        browser.open(ui + "/#/e/" + experimentId + "/scalars");
        String runPath = browser.await("the run in the runs table", d -> d.findElements(By.cssSelector(".runs-row[data-run-id]")).stream()
                .findFirst().map(r -> r.getDomAttribute("data-run-path")).orElse(null));
        assertThat(runPath).isEqualTo(RUN);
        String chart = ".scalar-card[data-tag=\"loss\"]";
        browser.await("the loss chart", d -> "true".equals(browser.script("return document.querySelector(arguments[0])?.dataset.loaded", chart)));
        Object points = browser.script("return document.querySelector(arguments[0] + ' .scalar-chart').dataset.points", chart);
        assertThat(points).as("points drawn in the loss chart").isEqualTo(String.valueOf(STEPS));
        browser.screenshot(work.resolve("web-ui-loss-chart.png"));
        log("web-ui container: the runs table has " + RUN + " and the loss chart draws its " + STEPS + " points ("
                + work.resolve("web-ui-loss-chart.png") + ")");
    }

    /** The realm as shipped, with the UI's address added to the web client's redirect URIs and web origins. */
    private static Path realmWithUiOrigin(String ui, Path file) throws IOException {
        ObjectNode realm = (ObjectNode) JSON.readTree(AthanorRealm.file().toFile());
        for (JsonNode client : realm.withArray("clients")) {
            if (AthanorRealm.WEB_CLIENT.equals(client.path("clientId").asText())) {
                ((ObjectNode) client).withArray("redirectUris").add(ui + "/*");
                ((ObjectNode) client).withArray("webOrigins").add(ui);
            }
        }
        JSON.writeValue(file.toFile(), realm);
        return file;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Starts a pod's containers in order; the first takes the pod's address, the others join it. */
    private List<String> startPod(Podman podman, PodTranslation.Pod pod, PodTranslation.Cluster cluster, String network,
                                  String ip, Map<String, String> hosts, Path work, String label, boolean limits,
                                  Prober prober) throws IOException {
        Path podDir = work.resolve("pods/" + pod.name());
        Map<String, Path> volumes = PodTranslation.prepareVolumes(pod, cluster, podDir);
        List<String> names = new ArrayList<>();
        for (Container container : pod.spec().getContainers()) {
            Path envFile = podDir.resolve(container.getName() + ".env");
            PodTranslation.writeEnvFile(envFile, PodTranslation.environment(pod, container, cluster));
            PodTranslation.Placement placement = names.isEmpty()
                    ? new PodTranslation.Placement(network, ip, null, hosts)
                    : new PodTranslation.Placement(network, ip, names.get(0), hosts);
            List<String> args = new ArrayList<>(List.of("run"));
            args.addAll(PodTranslation.runArguments(pod, container, placement, volumes, envFile, label, limits));
            Files.writeString(podDir.resolve(container.getName() + ".podman-run"), String.join(" ", args) + "\n");
            podman.run(args, 120).orFail("starting " + pod.name() + "/" + container.getName());
            String name = PodTranslation.containerName(pod, container, label);
            names.add(name);
            log("started " + pod.name() + "/" + container.getName() + " (" + container.getImage() + ") at " + ip);
            if (prober != null) {
                prober.watch(new Prober.Target(pod.name() + "/" + container.getName(), ip, container, () -> exited(podman, name),
                        () -> podman.run(List.of("start", name), 120).orFail("restarting " + name)));
            }
        }
        return names;
    }

    /** What the process inside sees: the chart's user, no capabilities, no privilege gain, a filter, a read-only root. */
    private static void assertRunsConfined(Podman podman, String name) {
        String status = podman.run(List.of("exec", name, "cat", "/proc/1/status"), 60).orFail("podman exec " + name).output();
        Map<String, String> fields = new LinkedHashMap<>();
        status.lines().filter(l -> l.contains(":")).forEach(l -> fields.put(l.substring(0, l.indexOf(':')), l.substring(l.indexOf(':') + 1).trim()));
        String uid = fields.get("Uid").split("\\s+")[0];
        assertThat(uid).as("%s uid", name).isNotEqualTo("0").isIn("185", "101", "10001");
        assertThat(fields.get("CapEff")).as("%s effective capabilities", name).isEqualTo("0000000000000000");
        assertThat(fields.get("CapBnd")).as("%s bounding capabilities", name).isEqualTo("0000000000000000");
        assertThat(fields.get("NoNewPrivs")).as("%s no_new_privs", name).isEqualTo("1");
        assertThat(fields.get("Seccomp")).as("%s seccomp mode (2: filter)", name).isEqualTo("2");
        Podman.Result write = podman.run(List.of("exec", name, "touch", "/etc/athanor-write-test"), 60);
        assertThat(write.exitCode()).as("%s writing to its root filesystem: %s", name, write.output()).isNotZero();
        assertThat(write.output()).contains("Read-only file system");
    }

    private static String exited(Podman podman, String name) {
        String state = podman.run(List.of("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", name), 30).output().strip();
        return state.startsWith("running") || state.startsWith("created") ? null : state + "\n" + logs(podman, name);
    }

    private static String logs(Podman podman, String name) {
        return podman.run(List.of("logs", name), 60).output();
    }

    /** Whether podman can enforce a memory limit here (hybrid cgroups may lack the controller). */
    private static boolean memoryLimitsWork(Podman podman) {
        List<String> args = new ArrayList<>(List.of("run", "--rm", "--pull=never", "--memory", "64m", "--network", "none"));
        args.addAll(Podman.ulimits());
        args.addAll(List.of("athanor/web-ui:" + RepoPaths.projectVersion(), "-v"));
        return podman.run(args, 60).exitCode() == 0;
    }

    private static void buildImages(Path repo) throws IOException, InterruptedException {
        Process build = new ProcessBuilder("bash", repo.resolve("deploy/containers/build-images.sh").toString())
                .redirectErrorStream(true).start();
        try (var lines = build.inputReader().lines()) {
            lines.forEach(line -> System.out.println("[containers] " + line));
        }
        assertThat(build.waitFor()).as("deploy/containers/build-images.sh exit code").isZero();
    }

    /** One run that writes 20 loss points and a 12-byte image at step 5, then the stop marker. */
    private static byte[] writeLogdir(Path logdir) throws IOException {
        byte[] image = new byte[12];
        image[0] = (byte) 0x89;
        image[11] = 42;
        try (EventFileWriter writer = EventFileWriter.create(logdir.resolve(RUN))) {
            for (int step = 0; step < STEPS; step++) {
                writer.write(Event.newBuilder().setWallTime(1_790_000_000.0 + step).setStep(step).setSummary(Summary.newBuilder()
                        .addValue(Summary.Value.newBuilder().setTag("loss").setSimpleValue(1.0f / (step + 1)))).build());
                if (step == 5) {
                    writer.write(Event.newBuilder().setWallTime(1_790_000_000.5 + step).setStep(step).setSummary(Summary.newBuilder()
                            .addValue(Summary.Value.newBuilder().setTag("samples").setImage(Summary.Image.newBuilder()
                                    .setHeight(1).setWidth(1).setColorspace(3).setEncodedImageString(ByteString.copyFrom(image)))))
                            .build());
                }
            }
        }
        Files.writeString(logdir.resolve(".athanor-stop"), "0\n");
        try (Stream<Path> files = Files.walk(logdir)) {
            for (Path p : files.toList()) {
                p.toFile().setReadable(true, false);
                p.toFile().setWritable(true, false);
                if (Files.isDirectory(p)) {
                    p.toFile().setExecutable(true, false);
                }
            }
        }
        return image;
    }

    private static List<Path> eventFiles(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents.")).toList();
        }
    }

    private HttpResponse<String> get(String url, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static boolean onPath(String command) {
        return Stream.of(System.getenv().getOrDefault("PATH", "/usr/bin").split(":"))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }
}
