package dev.athanor.ingest.archive;

import dev.athanor.archive.store.gcs.GcsObjectStoreTest;

/**
 * archive-store's GCS contract suite on ingest-service's classpath: this service resolves its own versions
 * of the Google stack (Quarkus' BOM) and carries the client without its gRPC transport, so the
 * suite is run here, not only in archive-store.
 */
class GcsStoreContractTest extends GcsObjectStoreTest {
}
