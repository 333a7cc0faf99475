package io.herdctl.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.herdctl.events.DotEnv;

/**
 * The fleet file's {@code web:} block as the embedded dashboard runs with it:
 * {@code port} and {@code host} (herdctl's; {@code localhost} by default, which
 * is 127.0.0.1), {@code session_expiry_hours}, and this version's {@code auth}
 * ({@code none}, {@code proxy}, {@code token}), {@code auth_token}
 * ({@code ${NAME}}: the variable is read here, from the environment or the
 * fleet's {@code .env}, and only its SHA-256 is handed to the dashboard),
 * {@code trusted_proxies} and {@code allowed_groups}. config-service has
 * validated the block; what can only be known here (the variable) is checked here.
 */
public record WebSettings(Integer port, String host, Map<String, String> dashboardProperties) {

    public static final WebSettings DEFAULT = new WebSettings(null, "127.0.0.1", Map.of());

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** The block of the fleet at {@code fleet} (its herdctl.yaml, or the file itself); {@link #DEFAULT} without one. */
    public static WebSettings of(Path fleet, Map<String, String> environment) throws IOException {
        Path file = Files.isDirectory(fleet) ? fleetFile(fleet) : fleet;
        if (file == null || !Files.isRegularFile(file)) {
            return DEFAULT;
        }
        JsonNode web = YAML.readTree(file.toFile()).path("web");
        if (!web.isObject()) {
            return DEFAULT;
        }
        Path dotEnv = file.toAbsolutePath().getParent().resolve(".env");
        Map<String, String> fromFile = Files.isRegularFile(dotEnv)
                ? DotEnv.parse(Files.readString(dotEnv, StandardCharsets.UTF_8)) : Map.of();
        UnaryOperator<String> variable = name -> environment.containsKey(name) ? environment.get(name) : fromFile.get(name);
        return of(web, variable, file, dotEnv);
    }

    static WebSettings of(JsonNode web, UnaryOperator<String> variable, Path file, Path dotEnv) {
        Map<String, String> props = new LinkedHashMap<>();
        String host = web.path("host").asText("localhost");
        String bind = host.equals("localhost") ? "127.0.0.1" : host;
        props.put("quarkus.http.host", bind);
        String auth = web.path("auth").asText("none");
        if (auth.equals("none") && !List.of("127.0.0.1", "::1").contains(bind)) {
            throw new IllegalArgumentException(file + ": web.host is " + host + " and web.auth is none: the dashboard "
                    + "would serve the fleet to anyone who can reach it, so it is not started. Keep web.host: localhost"
                    + " (and reach it through SSH or a proxy), or set web.auth: proxy (behind oauth2-proxy, with "
                    + "web.trusted_proxies) or web.auth: token (with web.auth_token: ${NAME})");
        }
        props.put("herdctl.dashboard.auth", auth);
        if (web.hasNonNull("session_expiry_hours")) {
            props.put("herdctl.dashboard.session-expiry", web.path("session_expiry_hours").asLong() + "h");
        }
        if (web.hasNonNull("auth_token")) {
            String reference = web.path("auth_token").asText();
            if (!reference.matches("^\\$\\{[A-Za-z_][A-Za-z0-9_]*}$")) {
                throw new IllegalArgumentException(file + ": web.auth_token must name an environment variable as ${NAME}");
            }
            String name = reference.substring(2, reference.length() - 1);
            String token = variable.apply(name);
            if (token == null || token.isBlank()) {
                throw new IllegalArgumentException(file + ": web.auth_token names ${" + name + "}, which is set neither"
                        + " in the environment nor in " + dotEnv);
            }
            props.put("herdctl.dashboard.token.sha256", sha256(token));
        }
        list(web.path("trusted_proxies")).ifPresent(v -> props.put("herdctl.dashboard.proxy.trusted-addresses", v));
        list(web.path("allowed_groups")).ifPresent(v -> props.put("herdctl.dashboard.proxy.allowed-groups", v));
        Integer port = web.hasNonNull("port") ? web.path("port").asInt() : null;
        return new WebSettings(port, bind, Map.copyOf(props));
    }

    /** Where the launcher itself reaches the dashboard: loopback when it listens on every address. */
    public String reachableHost() {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") ? "127.0.0.1"
                : host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static java.util.Optional<String> list(JsonNode node) {
        if (!node.isArray() || node.isEmpty()) {
            return java.util.Optional.empty();
        }
        List<String> items = new java.util.ArrayList<>();
        node.forEach(n -> items.add(n.asText()));
        return java.util.Optional.of(String.join(",", items));
    }

    private static Path fleetFile(Path dir) {
        for (String name : List.of("herdctl.yaml", "herdctl.yml")) {
            if (Files.isRegularFile(dir.resolve(name))) {
                return dir.resolve(name);
            }
        }
        return null;
    }

    static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
