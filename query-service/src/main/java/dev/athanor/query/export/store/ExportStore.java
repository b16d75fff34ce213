package dev.athanor.query.export.store;

/** Bulk export. Implementations must pass {@code ExportStoreContract}. */
public interface ExportStore {

    /** Starts a snapshot and resolves the selection's runs in it (bad filters fail here, before any byte is sent). */
    ExportSnapshot open(ExportSelection selection);
}
