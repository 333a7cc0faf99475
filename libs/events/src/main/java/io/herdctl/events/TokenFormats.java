package io.herdctl.events;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Credential formats that say what they are by their prefix. One catalogue for
 * every place that looks for secrets: the runner masks them in output before a
 * line leaves it, and {@code doctor} reports them written in clear in a fleet.
 *
 * <p>A format may start anywhere but inside a longer word, except that a JSON
 * escape ({@code \n}, {@code \t}, {@code \r}) in front of it counts as a break:
 * job output arrives as JSON text, where a token at the start of a line inside a
 * string follows a literal {@code \n}.
 */
public final class TokenFormats {

    /**
     * One format.
     *
     * @param id          short name used in masks ({@code [REDACTED:github-token]})
     * @param description what a person calls it ("a GitHub token")
     * @param pattern     what a token of this format looks like
     * @param hints       literals one of which every match contains, to skip the pattern on most text
     */
    public record Format(String id, String description, Pattern pattern, List<String> hints) {

        /** Whether {@code text} holds a token of this format. */
        public boolean foundIn(String text) {
            return mayContain(text) && pattern.matcher(text).find();
        }

        /** Cheap pre-check: false means {@code text} certainly holds none. */
        public boolean mayContain(String text) {
            for (String hint : hints) {
                if (text.contains(hint)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Not inside a longer word, unless a JSON escape sequence is what precedes it. */
    private static final String START = "(?:(?<![A-Za-z0-9_-])|(?<=\\\\[nrt]))";

    private static Format format(String id, String description, String regex, String... hints) {
        return new Format(id, description, Pattern.compile(START + regex), List.of(hints));
    }

    /**
     * Most specific first: an Anthropic key is also an {@code sk-} key, and where
     * both match, the first names it.
     */
    public static final List<Format> ALL = List.of(
            // The whole block when the line holds it, else the rest of the line from the header.
            new Format("private-key", "a private key", Pattern.compile(
                    "-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----.*?(?:-----END \\1PRIVATE KEY-----|$)", Pattern.DOTALL),
                    List.of("PRIVATE KEY-----")),
            format("anthropic-key", "an Anthropic API key", "sk-ant-[A-Za-z0-9_-]{16,}", "sk-ant-"),
            format("github-token", "a GitHub token",
                    "(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{20,})",
                    "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
            format("gitlab-token", "a GitLab token", "glpat-[A-Za-z0-9_-]{20,}", "glpat-"),
            format("slack-token", "a Slack token", "xox[abposr]-[A-Za-z0-9-]{10,}", "xox"),
            format("aws-access-key", "an AWS access key id", "(?:AKIA|ASIA)[0-9A-Z]{16}(?![0-9A-Za-z])", "AKIA", "ASIA"),
            format("google-api-key", "a Google API key", "AIza[0-9A-Za-z_-]{35}", "AIza"),
            // With a digit somewhere, so that a hyphenated name such as "sk-learn-..." is no key.
            format("api-key", "an API key (sk-...)", "sk-(?=[A-Za-z0-9_-]*[0-9])[A-Za-z0-9_-]{20,}", "sk-"));

    private TokenFormats() {
    }

    /** The first format found in {@code text}, if any. */
    public static Optional<Format> firstIn(String text) {
        for (Format format : ALL) {
            if (format.foundIn(text)) {
                return Optional.of(format);
            }
        }
        return Optional.empty();
    }
}
