package io.herdctl.dashboard.security;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Login sessions as signed cookie values ({@code <expiry>.<user>.<HMAC>}), and
 * random tokens. The signing key is drawn at start: a restart signs everyone out.
 */
public final class Sessions {

    public static final String COOKIE = "herdctl_session";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] key;
    private final Duration lifetime;
    private final Clock clock;

    public Sessions(Duration lifetime, Clock clock) {
        this.key = new byte[32];
        RANDOM.nextBytes(key);
        this.lifetime = lifetime;
        this.clock = clock;
    }

    public Duration lifetime() {
        return lifetime;
    }

    /** A cookie value for {@code user}, valid for the session lifetime from now. */
    public String issue(String user) {
        String body = (clock.instant().plus(lifetime).getEpochSecond()) + "." + encode(user);
        return body + "." + sign(body);
    }

    /** The user of a valid, unexpired cookie value; null otherwise. */
    public String verify(String cookie) {
        if (cookie == null) {
            return null;
        }
        int last = cookie.lastIndexOf('.');
        if (last < 0) {
            return null;
        }
        String body = cookie.substring(0, last);
        byte[] expected = sign(body).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, cookie.substring(last + 1).getBytes(StandardCharsets.US_ASCII))) {
            return null;
        }
        int dot = body.indexOf('.');
        try {
            long expiry = Long.parseLong(body.substring(0, dot));
            if (clock.instant().getEpochSecond() >= expiry) {
                return null;
            }
            return new String(Base64.getUrlDecoder().decode(body.substring(dot + 1)), StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** 32 random bytes, URL-safe base64. */
    public static String randomToken() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** SHA-256 of the text, lower-case hex. */
    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Compares in time that does not depend on where the two differ. */
    public static boolean same(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static String encode(String user) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(user.getBytes(StandardCharsets.UTF_8));
    }

    private String sign(String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(body.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
