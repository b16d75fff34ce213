package dev.athanor.helm.render;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.stream.Stream;

/** The objects of one `helm template`, typed by the fabric8 Kubernetes model. */
public final class Manifests {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private final List<HasMetadata> objects;

    private Manifests(List<HasMetadata> objects) {
        this.objects = List.copyOf(objects);
    }

    /**
     * Splits the rendered stream into documents and types each by apiVersion/kind. Fails on a
     * document that is not a Kubernetes object or holds fields its kind does not have.
     */
    public static Manifests parse(String rendered) {
        List<HasMetadata> objects = new ArrayList<>();
        for (String document : rendered.split("(?m)^---\\s*$")) {
            if (document.lines().allMatch(line -> line.isBlank() || line.startsWith("#"))) {
                continue;
            }
            KubernetesResource resource;
            try {
                resource = SERIALIZATION.unmarshal(document);
            } catch (RuntimeException e) {
                throw new AssertionError("not a Kubernetes object:\n" + document, e);
            }
            if (!(resource instanceof HasMetadata object)) {
                throw new AssertionError("not a Kubernetes object with metadata:\n" + document);
            }
            if (!(object instanceof GenericKubernetesResource)) {
                StrictModel.assertNoUnknownFields(object, object.getKind() + "/" + object.getMetadata().getName());
            }
            objects.add(object);
        }
        return new Manifests(objects);
    }

    public List<HasMetadata> all() {
        return objects;
    }

    public <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    public <T extends HasMetadata> T named(Class<T> type, String name) {
        return all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no " + type.getSimpleName() + " named " + name
                        + "; have " + all(type).stream().map(o -> o.getMetadata().getName()).toList()));
    }

    public List<GenericKubernetesResource> ofKind(String apiVersion, String kind) {
        return all(GenericKubernetesResource.class).stream()
                .filter(o -> apiVersion.equals(o.getApiVersion()) && kind.equals(o.getKind())).toList();
    }

    /** Every pod template, by the name of the workload that owns it. */
    public Map<String, PodSpec> podSpecs() {
        Map<String, PodSpec> specs = new LinkedHashMap<>();
        all(Deployment.class).forEach(d -> specs.put("Deployment/" + d.getMetadata().getName(), d.getSpec().getTemplate().getSpec()));
        all(StatefulSet.class).forEach(s -> specs.put("StatefulSet/" + s.getMetadata().getName(), s.getSpec().getTemplate().getSpec()));
        all(Job.class).forEach(j -> specs.put("Job/" + j.getMetadata().getName(), j.getSpec().getTemplate().getSpec()));
        return specs;
    }

    /** Every container (init containers included) as "Kind/workload/container". */
    public Map<String, Container> containers() {
        Map<String, Container> containers = new LinkedHashMap<>();
        podSpecs().forEach((workload, spec) -> Stream.concat(spec.getInitContainers().stream(), spec.getContainers().stream())
                .forEach(c -> containers.put(workload + "/" + c.getName(), c)));
        return containers;
    }
}
