package dev.athanor.ingest.archive;

import dev.athanor.archive.store.gcs.GcsOverHttpTest;

/** The GCS client as ingest-service opens it reads objects over real HTTP with this service's classpath. */
class GcsOverHttpInServiceTest extends GcsOverHttpTest {
}
