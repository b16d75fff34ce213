package dev.athanor.archive.store.s3;

import dev.athanor.archive.store.Readability;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads S3's answer about archived objects: storage class, archive status and the x-amz-restore header. */
final class S3Restores {

    private static final Pattern ONGOING = Pattern.compile("ongoing-request=\"(true|false)\"");
    private static final Pattern EXPIRY = Pattern.compile("expiry-date=\"([^\"]+)\"");

    private S3Restores() {
    }

    /**
     * GLACIER and DEEP_ARCHIVE objects (and INTELLIGENT_TIERING objects in its archive access
     * tiers) need a restore; GLACIER_IR and every other class is readable at once.
     */
    static Readability readability(String storageClass, String archiveStatus, String restoreHeader) {
        boolean archived = storageClass != null && switch (storageClass.toUpperCase(Locale.ROOT)) {
            case "GLACIER", "DEEP_ARCHIVE" -> true;
            case "INTELLIGENT_TIERING" -> archiveStatus != null && archiveStatus.toUpperCase(Locale.ROOT).contains("ARCHIVE_ACCESS");
            default -> false;
        };
        if (!archived) {
            return Readability.READABLE;
        }
        if (restoreHeader == null || restoreHeader.isBlank()) {
            return Readability.NEEDS_RESTORE;
        }
        Matcher ongoing = ONGOING.matcher(restoreHeader);
        if (ongoing.find() && ongoing.group(1).equals("true")) {
            return Readability.RESTORING;
        }
        Matcher expiry = EXPIRY.matcher(restoreHeader);
        if (expiry.find()) {
            try {
                Instant until = ZonedDateTime.parse(expiry.group(1), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return Readability.restoredUntil(until);
            } catch (DateTimeParseException e) {
                return Readability.READABLE;
            }
        }
        return Readability.READABLE;
    }
}
