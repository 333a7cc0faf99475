package io.herdctl.runner.output;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

import io.herdctl.events.TokenFormats;

/**
 * Removes secrets from a line before it leaves the runner: the exact values the
 * runner handed to the container (API key, fleet env) and the token formats of
 * {@link TokenFormats}, which are secrets wherever they come from. Each is
 * replaced by a marker naming its kind, {@code [REDACTED:github-token]}, which
 * the audit rules can still see.
 */
public final class SecretRedactor {

    /** Values shorter than this are too likely to occur by chance to be matched exactly. */
    private static final int MIN_EXACT_LENGTH = 8;

    private final List<Map.Entry<String, String>> exact;

    /** @param secrets environment name to value, for values that must never appear in clear */
    public SecretRedactor(Map<String, String> secrets) {
        List<Map.Entry<String, String>> values = new ArrayList<>();
        secrets.forEach((name, value) -> {
            if (value != null && value.length() >= MIN_EXACT_LENGTH) {
                values.add(Map.entry(name, value));
            }
        });
        // Longest first, so a value that contains another is replaced whole.
        values.sort(Comparator.comparingInt((Map.Entry<String, String> e) -> e.getValue().length()).reversed());
        this.exact = List.copyOf(values);
    }

    public String redact(String line) {
        String out = line;
        for (Map.Entry<String, String> secret : exact) {
            if (out.contains(secret.getValue())) {
                out = out.replace(secret.getValue(), "[REDACTED:env:" + secret.getKey() + "]");
            }
        }
        for (TokenFormats.Format format : TokenFormats.ALL) {
            if (!format.mayContain(out)) {
                continue;
            }
            Matcher m = format.pattern().matcher(out);
            if (m.find()) {
                out = m.replaceAll(Matcher.quoteReplacement("[REDACTED:" + format.id() + "]"));
            }
        }
        return out;
    }
}
