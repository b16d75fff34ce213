package dev.athanor.helm.containers;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the kubelet would run a rendered pod, as podman arguments: the image and its command, the
 * environment from the pod's ConfigMaps and Secrets (envFrom, then env with $(VAR) references and
 * the downward API's pod name), the effective user and group (container over pod securityContext,
 * fsGroup as a supplementary group), a read-only root with the pod's volumes mounted, dropped
 * capabilities, no privilege escalation and the runtime's default seccomp profile. Pure: it only
 * reads the objects and writes the volume folders it is given.
 */
final class PodTranslation {

    /** A pod to run: its name, namespace, spec and a folder per volumeClaimTemplate (StatefulSet). */
    record Pod(String name, String namespace, PodSpec spec, Map<String, Path> claims) {
    }

    /** What the cluster holds besides the chart: its ConfigMaps, and the Secrets the operator created. */
    record Cluster(Map<String, ConfigMap> configMaps, Map<String, Map<String, String>> secrets) {
        String configMapValue(String name, String key) {
            ConfigMap map = configMaps.get(name);
            if (map == null || map.getData() == null || !map.getData().containsKey(key)) {
                throw new IllegalStateException("no key " + key + " in ConfigMap " + name);
            }
            return map.getData().get(key);
        }

        String secretValue(String name, String key) {
            Map<String, String> secret = secrets.get(name);
            if (secret == null || !secret.containsKey(key)) {
                throw new IllegalStateException("no key " + key + " in Secret " + name
                        + " (the chart expects it to exist; the run creates " + secrets.keySet() + ")");
            }
            return secret.get(key);
        }
    }

    private static final Pattern REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

    private PodTranslation() {
    }

    /** The container's environment in the order the kubelet builds it. */
    static Map<String, String> environment(Pod pod, Container container, Cluster cluster) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvFromSource from : nullToEmpty(container.getEnvFrom())) {
            String prefix = Objects.requireNonNullElse(from.getPrefix(), "");
            if (from.getConfigMapRef() != null) {
                ConfigMap map = cluster.configMaps().get(from.getConfigMapRef().getName());
                if (map == null) {
                    throw new IllegalStateException("envFrom names ConfigMap " + from.getConfigMapRef().getName()
                            + ", which the chart did not render");
                }
                Objects.requireNonNullElse(map.getData(), Map.<String, String>of()).forEach((k, v) -> env.put(prefix + k, v));
            }
            if (from.getSecretRef() != null) {
                Map<String, String> secret = cluster.secrets().get(from.getSecretRef().getName());
                if (secret == null) {
                    throw new IllegalStateException("envFrom names Secret " + from.getSecretRef().getName() + ", which does not exist");
                }
                secret.forEach((k, v) -> env.put(prefix + k, v));
            }
        }
        for (EnvVar variable : nullToEmpty(container.getEnv())) {
            String value;
            if (variable.getValueFrom() == null) {
                value = expand(Objects.requireNonNullElse(variable.getValue(), ""), env);
            } else if (variable.getValueFrom().getFieldRef() != null) {
                String field = variable.getValueFrom().getFieldRef().getFieldPath();
                value = switch (field) {
                    case "metadata.name" -> pod.name();
                    case "metadata.namespace" -> pod.namespace();
                    default -> throw new IllegalStateException("fieldRef " + field + " is not emulated here");
                };
            } else if (variable.getValueFrom().getSecretKeyRef() != null) {
                value = cluster.secretValue(variable.getValueFrom().getSecretKeyRef().getName(),
                        variable.getValueFrom().getSecretKeyRef().getKey());
            } else if (variable.getValueFrom().getConfigMapKeyRef() != null) {
                value = cluster.configMapValue(variable.getValueFrom().getConfigMapKeyRef().getName(),
                        variable.getValueFrom().getConfigMapKeyRef().getKey());
            } else {
                throw new IllegalStateException("env " + variable.getName() + ": valueFrom kind not emulated here");
            }
            env.put(variable.getName(), value);
        }
        return env;
    }

    /** $(VAR) of a variable defined before it is replaced; $$ escapes; unknown references stay, as in Kubernetes. */
    static String expand(String value, Map<String, String> defined) {
        Matcher m = REFERENCE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            int start = m.start();
            boolean escaped = start > 0 && value.charAt(start - 1) == '$';
            String replacement = escaped || !defined.containsKey(m.group(1)) ? m.group() : defined.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString().replace("$$(", "$(");
    }

    /**
     * A host folder per pod volume, shared by the pod's containers: emptyDir (mode 0777, as the
     * kubelet makes it), a Secret's or ConfigMap's keys as files, a claim's folder (group fsGroup,
     * setgid, as fsGroup ownership does).
     */
    static Map<String, Path> prepareVolumes(Pod pod, Cluster cluster, Path podDir) {
        Map<String, Path> dirs = new LinkedHashMap<>();
        try {
            for (Volume volume : nullToEmpty(pod.spec().getVolumes())) {
                Path dir = podDir.resolve("volumes").resolve(volume.getName());
                Files.createDirectories(dir);
                if (volume.getEmptyDir() != null) {
                    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
                } else if (volume.getSecret() != null) {
                    writeKeys(dir, cluster.secrets().get(volume.getSecret().getSecretName()), volume.getSecret().getItems(),
                            "Secret " + volume.getSecret().getSecretName());
                } else if (volume.getConfigMap() != null) {
                    ConfigMap map = cluster.configMaps().get(volume.getConfigMap().getName());
                    writeKeys(dir, map == null ? null : map.getData(), volume.getConfigMap().getItems(),
                            "ConfigMap " + volume.getConfigMap().getName());
                } else {
                    throw new IllegalStateException("volume " + volume.getName() + " of " + pod.name() + ": kind not emulated here");
                }
                dirs.put(volume.getName(), dir);
            }
            Long fsGroup = pod.spec().getSecurityContext() == null ? null : pod.spec().getSecurityContext().getFsGroup();
            for (Map.Entry<String, Path> claim : pod.claims().entrySet()) {
                Files.createDirectories(claim.getValue());
                if (fsGroup != null) {
                    Files.setAttribute(claim.getValue(), "unix:gid", fsGroup.intValue());
                }
                Files.setPosixFilePermissions(claim.getValue(), PosixFilePermissions.fromString("rwxrwxr-x"));
                dirs.put(claim.getKey(), claim.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the volumes of " + pod.name(), e);
        }
        return dirs;
    }

    private static void writeKeys(Path dir, Map<String, String> data, List<KeyToPath> items, String what) throws IOException {
        if (data == null) {
            throw new IllegalStateException(what + " does not exist");
        }
        if (items == null || items.isEmpty()) {
            for (Map.Entry<String, String> entry : data.entrySet()) {
                Files.writeString(dir.resolve(entry.getKey()), entry.getValue(), StandardCharsets.UTF_8);
            }
        } else {
            for (KeyToPath item : items) {
                Files.writeString(dir.resolve(item.getPath()), Objects.requireNonNull(data.get(item.getKey()),
                        what + " has no key " + item.getKey()), StandardCharsets.UTF_8);
            }
        }
    }

    /** Where a container joins the network: its own address (first container) or its pod's (the others). */
    record Placement(String network, String ip, String joinContainer, Map<String, String> hosts) {
    }

    /** The `podman run` arguments (after "run") for one container of the pod. */
    static List<String> runArguments(Pod pod, Container container, Placement placement, Map<String, Path> volumes,
                                     Path envFile, String runLabel, boolean applyLimits) {
        List<String> args = new ArrayList<>(List.of("--detach", "--pull=never", "--name", containerName(pod, container, runLabel),
                "--label", "dev.athanor.container-run=" + runLabel,
                "--env-file", envFile.toString()));
        args.addAll(Podman.ulimits());
        if (placement.joinContainer() == null) {
            args.addAll(List.of("--network", placement.network(), "--ip", placement.ip(), "--hostname", pod.name()));
            placement.hosts().forEach((host, ip) -> args.addAll(List.of("--add-host", host + ":" + ip)));
        } else {
            args.addAll(List.of("--network", "container:" + placement.joinContainer()));
        }
        args.addAll(securityArguments(pod.spec().getSecurityContext(), container.getSecurityContext(), pod.name() + "/" + container.getName()));
        if (applyLimits && container.getResources() != null && container.getResources().getLimits() != null) {
            Quantity memory = container.getResources().getLimits().get("memory");
            if (memory != null) {
                args.addAll(List.of("--memory", Quantity.getAmountInBytes(memory).toBigInteger().toString()));
            }
            Quantity cpu = container.getResources().getLimits().get("cpu");
            if (cpu != null) {
                args.addAll(List.of("--cpus", Quantity.getAmountInBytes(cpu).toPlainString()));
            }
        }
        if (pod.spec().getTerminationGracePeriodSeconds() != null) {
            args.addAll(List.of("--stop-timeout", pod.spec().getTerminationGracePeriodSeconds().toString()));
        }
        for (VolumeMount mount : nullToEmpty(container.getVolumeMounts())) {
            Path dir = volumes.get(mount.getName());
            if (dir == null) {
                throw new IllegalStateException(pod.name() + "/" + container.getName() + " mounts volume " + mount.getName()
                        + ", which the pod does not declare");
            }
            if (mount.getSubPath() != null && !mount.getSubPath().isEmpty()) {
                dir = dir.resolve(mount.getSubPath());
            }
            args.addAll(List.of("--volume", dir + ":" + mount.getMountPath() + (Boolean.TRUE.equals(mount.getReadOnly()) ? ":ro" : ":rw")));
        }
        List<String> command = nullToEmpty(container.getCommand());
        if (!command.isEmpty()) {
            args.add("--entrypoint=" + toJsonArray(command));
        }
        args.add(container.getImage());
        args.addAll(nullToEmpty(container.getArgs()));
        return args;
    }

    /** Unique per run, so two runs on one machine do not clash. */
    static String containerName(Pod pod, Container container, String runLabel) {
        return pod.name() + "-" + container.getName() + "-" + runLabel;
    }

    /** The effective securityContext as podman flags; refuses what the kubelet would refuse. */
    static List<String> securityArguments(PodSecurityContext pod, SecurityContext container, String where) {
        PodSecurityContext p = pod == null ? new PodSecurityContext() : pod;
        SecurityContext c = container == null ? new SecurityContext() : container;
        Long user = first(c.getRunAsUser(), p.getRunAsUser());
        Long group = first(c.getRunAsGroup(), p.getRunAsGroup());
        Boolean nonRoot = first(c.getRunAsNonRoot(), p.getRunAsNonRoot());
        List<String> args = new ArrayList<>();
        if (Boolean.TRUE.equals(nonRoot) && (user == null || user == 0)) {
            throw new IllegalStateException(where + ": runAsNonRoot with " + (user == null ? "no runAsUser" : "runAsUser 0")
                    + "; the kubelet would not start it");
        }
        if (user != null) {
            args.addAll(List.of("--user", user + (group != null ? ":" + group : "")));
        }
        if (p.getFsGroup() != null) {
            args.addAll(List.of("--group-add", p.getFsGroup().toString()));
        }
        for (Long supplemental : nullToEmpty(p.getSupplementalGroups())) {
            args.addAll(List.of("--group-add", supplemental.toString()));
        }
        if (Boolean.TRUE.equals(c.getReadOnlyRootFilesystem())) {
            // podman would otherwise put tmpfs on /tmp, /run and /var/tmp; only the pod's volumes are writable.
            args.addAll(List.of("--read-only", "--read-only-tmpfs=false"));
        }
        if (Boolean.TRUE.equals(c.getPrivileged())) {
            args.add("--privileged");
        }
        if (Boolean.FALSE.equals(c.getAllowPrivilegeEscalation())) {
            args.addAll(List.of("--security-opt", "no-new-privileges"));
        }
        Capabilities capabilities = c.getCapabilities();
        if (capabilities != null) {
            nullToEmpty(capabilities.getDrop()).forEach(cap -> args.add("--cap-drop=" + cap.toLowerCase()));
            nullToEmpty(capabilities.getAdd()).forEach(cap -> args.add("--cap-add=" + cap.toLowerCase()));
        }
        String seccomp = c.getSeccompProfile() != null ? c.getSeccompProfile().getType()
                : p.getSeccompProfile() != null ? p.getSeccompProfile().getType() : null;
        if ("Unconfined".equals(seccomp)) {
            args.addAll(List.of("--security-opt", "seccomp=unconfined"));
        } else if (seccomp != null && !"RuntimeDefault".equals(seccomp)) {
            throw new IllegalStateException(where + ": seccomp profile " + seccomp + " is not emulated here");
        }
        return args;
    }

    static void writeEnvFile(Path file, Map<String, String> env) {
        StringBuilder text = new StringBuilder();
        env.forEach((k, v) -> {
            if (v.contains("\n")) {
                throw new IllegalStateException("env " + k + " has a line break; podman's env file cannot carry it");
            }
            text.append(k).append('=').append(v).append('\n');
        });
        try {
            Files.writeString(file, text.toString(), StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String toJsonArray(List<String> items) {
        return items.stream().map(s -> "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
                .reduce((a, b) -> a + "," + b).map(s -> "[" + s + "]").orElse("[]");
    }

    @SafeVarargs
    private static <T> T first(T... values) {
        for (T value : values) {
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    private static <T> List<T> nullToEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    static <K, V> Map<K, V> index(List<V> items, Function<V, K> key) {
        Map<K, V> map = new LinkedHashMap<>();
        items.forEach(item -> map.put(key.apply(item), item));
        return map;
    }
}
