package dev.athanor.archive.catalog;

/** States of an archive_object row (see the V1_3_1 migration). */
public enum ObjectState {
    UPLOADING, VERIFIED, FAILED, REFUSED
}
