package dev.athanor.uploader.tail;

import java.util.OptionalInt;

/**
 * What the server holds of one source file: everything before {@code offset} is durable, and
 * {@code head} is the stored file's fingerprint (tfevents' FileHead) when the server knows it.
 */
public record CommittedFile(long offset, OptionalInt head) {

    public static final CommittedFile NOTHING = new CommittedFile(0, OptionalInt.empty());
}
