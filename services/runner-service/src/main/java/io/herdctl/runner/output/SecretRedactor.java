package io.herdctl.runner.output;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets from a line before it leaves the runner: the exact values the
 * runner handed to the container (API key, fleet env) and token shapes that are
 * secrets wherever they come from. Each is replaced by a marker naming its kind,
 * {@code [REDACTED:github-token]}, which the audit rules can still see.
 */
public final class SecretRedactor {

    /** Values shorter than this are too likely to occur by chance to be matched exactly. */
    private static final int MIN_EXACT_LENGTH = 8;

    /** A token shape, and literals one of which every match contains (checked first: most lines have none). */
    private record Shape(String kind, Pattern pattern, List<String> hints) {
    }

    private static final List<Shape> SHAPES = List.of(
            new Shape("private-key", Pattern.compile(
                    "-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----.*?(?:-----END \\1PRIVATE KEY-----|$)", Pattern.DOTALL),
                    List.of("PRIVATE KEY-----")),
            new Shape("anthropic-key", Pattern.compile("sk-ant-[A-Za-z0-9_\\-]{16,}"), List.of("sk-ant-")),
            new Shape("github-token", Pattern.compile("\\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{20,})"),
                    List.of("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_")),
            new Shape("aws-access-key", Pattern.compile("\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b"), List.of("AKIA", "ASIA")),
            new Shape("slack-token", Pattern.compile("\\bxox[abposr]-[A-Za-z0-9-]{10,}"), List.of("xox")));

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

    private static boolean mayContain(String line, List<String> hints) {
        for (String hint : hints) {
            if (line.contains(hint)) {
                return true;
            }
        }
        return false;
    }

    public String redact(String line) {
        String out = line;
        for (Map.Entry<String, String> secret : exact) {
            if (out.contains(secret.getValue())) {
                out = out.replace(secret.getValue(), "[REDACTED:env:" + secret.getKey() + "]");
            }
        }
        for (Shape shape : SHAPES) {
            if (!mayContain(out, shape.hints())) {
                continue;
            }
            Matcher m = shape.pattern().matcher(out);
            if (m.find()) {
                out = m.replaceAll(Matcher.quoteReplacement("[REDACTED:" + shape.kind() + "]"));
            }
        }
        return out;
    }
}
