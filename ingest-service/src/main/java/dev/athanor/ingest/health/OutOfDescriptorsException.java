package dev.athanor.ingest.health;

/** New work refused while the process is close to its open-file limit (gRPC RESOURCE_EXHAUSTED). */
public class OutOfDescriptorsException extends RuntimeException {

    public OutOfDescriptorsException(String message) {
        super(message);
    }
}
