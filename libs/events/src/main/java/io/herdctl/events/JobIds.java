package io.herdctl.events;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * herdctl's job ids: {@code job-YYYY-MM-DD-<6 lowercase alphanumerics>}, the date
 * in the local time zone as herdctl writes it. Ids are also file names under
 * {@code .herdctl/jobs/}, so anything that touches the filesystem checks
 * {@link #isValid} first.
 */
public final class JobIds {

    public static final Pattern PATTERN = Pattern.compile("^job-\\d{4}-\\d{2}-\\d{2}-[a-z0-9]{6}$");
    public static final String FORMAT_MESSAGE = "Job ID must match format: job-YYYY-MM-DD-<random6>";

    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final RandomGenerator RANDOM = new SecureRandom();

    private JobIds() {
    }

    public static boolean isValid(String jobId) {
        return jobId != null && PATTERN.matcher(jobId).matches();
    }

    /** A fresh id for a manual trigger. */
    public static String random(Instant now, ZoneId zone) {
        char[] suffix = new char[6];
        for (int i = 0; i < suffix.length; i++) {
            suffix[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return format(LocalDate.ofInstant(now, zone), new String(suffix));
    }

    /**
     * The id of a scheduled job, derived from what identifies the firing, so
     * emitting the same slot twice (after a crash, or from two schedulers) names
     * the same job and the duplicate is recognisable.
     */
    public static String derived(String agent, String schedule, Instant slot, ZoneId zone) {
        byte[] digest = sha256(agent + "\u001f" + schedule + "\u001f" + slot.toEpochMilli());
        char[] suffix = new char[6];
        for (int i = 0; i < suffix.length; i++) {
            suffix[i] = ALPHABET[Byte.toUnsignedInt(digest[i]) % ALPHABET.length];
        }
        return format(LocalDate.ofInstant(slot, zone), new String(suffix));
    }

    private static String format(LocalDate date, String suffix) {
        return String.format("job-%04d-%02d-%02d-%s", date.getYear(), date.getMonthValue(), date.getDayOfMonth(), suffix);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
