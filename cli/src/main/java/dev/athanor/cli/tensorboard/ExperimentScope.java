package dev.athanor.cli.tensorboard;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.grpc.Status;
import io.grpc.StatusException;

/**
 * The one experiment a proxy may read. Stock TensorBoard has no experiment picker: its URL carries
 * none, so it asks for experiment {@code ""}, which becomes the chosen one. Any other id is refused,
 * so the proxy (which adds the user's token) cannot be used to read other experiments.
 */
public final class ExperimentScope {

    static final String EXPERIMENT_ID_FIELD = "experiment_id";

    private final String experimentId;
    private final String label;

    /**
     * @param experimentId Athanor's experiment id as the data provider takes it
     * @param label        how people know it, for refusals (e.g. {@code 'mnist' (id 3, project default)})
     */
    public ExperimentScope(String experimentId, String label) {
        if (experimentId.isEmpty()) {
            throw new IllegalArgumentException("the experiment id must not be empty");
        }
        this.experimentId = experimentId;
        this.label = label;
    }

    public String experimentId() {
        return experimentId;
    }

    /**
     * The request to forward: with TensorBoard's default experiment replaced by the chosen one;
     * requests without an experiment (ReadBlob: its key is opaque, the server checks it) unchanged.
     *
     * @throws StatusException PERMISSION_DENIED for any other experiment
     */
    @SuppressWarnings("unchecked")
    public <T extends Message> T pin(T request) throws StatusException {
        FieldDescriptor field = request.getDescriptorForType().findFieldByName(EXPERIMENT_ID_FIELD);
        if (field == null) {
            return request;
        }
        String asked = (String) request.getField(field);
        if (asked.equals(experimentId)) {
            return request;
        }
        if (!asked.isEmpty()) {
            throw Status.PERMISSION_DENIED.withDescription("this TensorBoard shows experiment " + label
                    + " only; it does not read experiment '" + asked + "'").asException();
        }
        return (T) request.toBuilder().setField(field, experimentId).build();
    }
}
