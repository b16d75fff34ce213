package dev.athanor.archive.tiering;

/** How a copy's checksum is confirmed. */
public enum VerifyMode {
    /** Use the checksum the store reports; read the object back only when it reports none. */
    AUTO,
    /** Always read the object back and compute its CRC32C (costs one download per segment). */
    READ_BACK
}
