package io.herdctl.config.doctor;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.herdctl.events.SecretReferences;
import io.herdctl.events.TokenFormats;

/**
 * Whether a value written in a fleet file is a credential in clear. Only the
 * literal text counts: {@code ${VAR}} references are what the guide asks for, but
 * the default of {@code ${VAR:-...}} is literal again. The answer names the kind
 * of credential and never repeats any of it.
 */
final class SecretShapes {

    private static final Pattern HEX = Pattern.compile("(?<![0-9a-fA-F])[0-9a-fA-F]{32,}(?![0-9a-fA-F])");
    private static final Pattern RANDOM = Pattern.compile("[A-Za-z0-9+/_=-]{32,}");
    /** The checklist's *TOKEN*, *KEY*, *SECRET*, and the other words credentials go by. */
    private static final Pattern SECRET_NAME = Pattern.compile(
            "(?i).*(TOKEN|KEY|SECRET|PASSW|CREDENTIAL|PRIVATE|COOKIE|AUTH(?!OR)).*");
    private static final Pattern AUTH_SCHEME = Pattern.compile("(?i)^\\s*(bearer|basic|token)\\s+");

    private SecretShapes() {
    }

    /**
     * What kind of credential {@code written} holds in clear ("a GitHub token"), if any.
     *
     * @param name           the variable or header name it is set under, or null (an argument)
     * @param shapelessCount whether a long random-looking string counts without a known prefix (not for
     *                       command arguments, where paths and package names look alike)
     */
    static Optional<String> literalSecret(String name, String written, boolean shapelessCount) {
        if (written == null || written.isBlank()) {
            return Optional.empty();
        }
        List<String> literals = new ArrayList<>();
        Matcher ref = SecretReferences.REFERENCE.matcher(written);
        StringBuilder rest = new StringBuilder();
        while (ref.find()) {
            if (ref.group(2) != null && !ref.group(2).isBlank()) {
                literals.add(ref.group(2));
            }
            ref.appendReplacement(rest, " ");
        }
        ref.appendTail(rest);
        literals.add(0, rest.toString().strip());
        for (int i = 0; i < literals.size(); i++) {
            String where = i == 0 ? "" : " as the default of a ${VAR:-...} reference";
            Optional<String> kind = kind(name, AUTH_SCHEME.matcher(literals.get(i)).replaceFirst(""), shapelessCount);
            if (kind.isPresent()) {
                return Optional.of(kind.get() + where);
            }
        }
        return Optional.empty();
    }

    private static Optional<String> kind(String name, String literal, boolean shapelessCount) {
        if (literal.isBlank()) {
            return Optional.empty();
        }
        Optional<TokenFormats.Format> known = TokenFormats.firstIn(literal);
        if (known.isPresent()) {
            return Optional.of(known.get().description());
        }
        if (!shapelessCount) {
            return Optional.empty();
        }
        if (HEX.matcher(literal).find()) {
            return Optional.of("a long hex string");
        }
        Matcher random = RANDOM.matcher(literal);
        while (random.find()) {
            String s = random.group();
            if (s.chars().anyMatch(Character::isUpperCase) && s.chars().anyMatch(Character::isLowerCase)
                    && s.chars().anyMatch(Character::isDigit)) {
                return Optional.of("a long random-looking string");
            }
        }
        if (name != null && SECRET_NAME.matcher(name).matches() && literal.strip().length() >= 8
                && !literal.strip().matches("(?i)true|false|yes|no|on|off|\\d+")) {
            return Optional.of("a literal value under a credential's name");
        }
        return Optional.empty();
    }
}
