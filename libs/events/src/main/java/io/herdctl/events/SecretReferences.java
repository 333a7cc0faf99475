package io.herdctl.events;

import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The convention that keeps secrets off the topics: a {@code ${VAR}} reference to a
 * variable whose name says it holds a secret is not resolved by config-service
 * but carried as written, and resolved by the runner when the job starts.
 * Shared because both sides must agree on which references those are.
 */
public final class SecretReferences {

    /** {@code ${NAME}} or {@code ${NAME:-default}}. */
    public static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\\}");
    private static final Pattern SECRET_NAME = Pattern.compile(
            "(?i).*(TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|PRIVATE|CREDENTIAL).*");

    private SecretReferences() {
    }

    /** Whether a variable's name says it holds a secret ({@code GITHUB_TOKEN}, {@code ANTHROPIC_API_KEY}, ...). */
    public static boolean isSecretName(String name) {
        return SECRET_NAME.matcher(name).matches();
    }

    /**
     * Replaces the references to secret-named variables that {@code lookup} knows;
     * everything else in {@code text} stays as it is.
     */
    public static String resolveSecrets(String text, Function<String, String> lookup) {
        if (text == null || !text.contains("${")) {
            return text;
        }
        Matcher m = REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = isSecretName(m.group(1)) ? lookup.apply(m.group(1)) : null;
            if (value == null && isSecretName(m.group(1))) {
                value = m.group(2);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value != null ? value : m.group()));
        }
        m.appendTail(out);
        return out.toString();
    }
}
