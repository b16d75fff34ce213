package dev.athanor.archive.store.gcs;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How to reach one GCS bucket.
 *
 * @param projectId       the project (empty: taken from the credentials or environment)
 * @param credentialsFile a service-account JSON key; empty uses Application Default Credentials
 *                        (Workload Identity on GKE)
 * @param host            another endpoint (an emulator); empty for Google
 * @param warmClass       GCS storage class of the warm tier (STANDARD, NEARLINE)
 * @param coldClass       GCS storage class of the cold tier (COLDLINE, ARCHIVE)
 * @param uploadChunkBytes size of each request of a resumable upload (a multiple of 256 KiB)
 */
public record GcsSettings(String bucket, Optional<String> projectId, Optional<Path> credentialsFile,
                          Optional<String> host, String warmClass, String coldClass, int uploadChunkBytes) {

    public GcsSettings {
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("GCS bucket is not set");
        }
        if (uploadChunkBytes <= 0 || uploadChunkBytes % (256 * 1024) != 0) {
            throw new IllegalArgumentException("GCS upload chunk must be a positive multiple of 256 KiB, got " + uploadChunkBytes);
        }
    }
}
