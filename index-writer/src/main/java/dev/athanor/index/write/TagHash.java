package dev.athanor.index.write;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The series key's tag_hash as PostgreSQL computes it: {@code decode(md5(tag), 'hex')} of the UTF-8 tag. */
public final class TagHash {

    private TagHash() {
    }

    public static byte[] of(String tag) {
        try {
            return MessageDigest.getInstance("MD5").digest(tag.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has MD5", e);
        }
    }
}
