package dev.athanor.uploader;

/** The version announced to the server: the jar's Implementation-Version, or "dev". */
public final class UploaderVersion {

    private UploaderVersion() {
    }

    public static String get() {
        String v = UploaderVersion.class.getPackage().getImplementationVersion();
        return "athanor-uploader/" + (v != null ? v : "dev");
    }
}
