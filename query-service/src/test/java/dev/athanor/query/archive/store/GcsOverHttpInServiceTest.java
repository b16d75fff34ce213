package dev.athanor.query.archive.store;

import dev.athanor.archive.store.gcs.GcsOverHttpTest;

/** The GCS client as query-service opens it reads objects over real HTTP with this service's classpath. */
class GcsOverHttpInServiceTest extends GcsOverHttpTest {
}
