package dev.athanor.query.profile.service;

import dev.athanor.profile.DecodeProgress;

/** A trace is being decoded (the first look at it) and was not ready in time: answered 202 with how far it got. */
public final class ProfileIndexing extends RuntimeException {

    private final String file;
    private final transient DecodeProgress progress;

    public ProfileIndexing(String file, DecodeProgress progress) {
        super(file + " is being indexed", null, false, false);
        this.file = file;
        this.progress = progress;
    }

    public String file() {
        return file;
    }

    public DecodeProgress progress() {
        return progress;
    }
}
