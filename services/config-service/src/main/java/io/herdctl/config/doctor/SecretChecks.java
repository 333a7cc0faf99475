package io.herdctl.config.doctor;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.herdctl.config.fleet.FieldOrigin;

/**
 * The checklist's "credentials only from the environment or .env": a credential
 * written into a fleet file sits in clear in version control and backups, and
 * on the agents topic for anything the runner does not resolve. Looked at are the
 * places herdctl passes values to a job: {@code docker.env}, and each MCP
 * server's {@code env}, {@code headers}, {@code url}, {@code command} and {@code args}.
 */
final class SecretChecks {

    static final String SECRET_LITERAL = "secret-literal";

    private static final String FIX = "move the value into the environment or the fleet's .env (kept out of git) and "
            + "write a reference here, such as \"${NAME}\"; then rotate the credential, which has been on disk in clear "
            + "(and in git history if the file was committed)";

    private SecretChecks() {
    }

    static void check(AgentView a, Findings out) {
        int before = out.size();
        new TreeMap<>(a.docker().env()).forEach((name, value) ->
                look(a, out, name, value, true, "docker", "env", name));
        new TreeMap<>(a.spec().mcpServers()).forEach((server, config) -> {
            Map<String, Object> c = map(config);
            map(c.get("env")).forEach((name, value) -> look(a, out, name, value, true, "mcp_servers", server, "env",
                    name));
            map(c.get("headers")).forEach((name, value) -> look(a, out, name, value, true, "mcp_servers", server,
                    "headers", name));
            look(a, out, null, c.get("url"), false, "mcp_servers", server, "url");
            look(a, out, null, c.get("command"), false, "mcp_servers", server, "command");
            if (c.get("args") instanceof List<?> args) {
                for (int i = 0; i < args.size(); i++) {
                    look(a, out, null, args.get(i), false, "mcp_servers", server, "args", "[" + i + "]");
                }
            }
        });
        if (out.size() == before) {
            out.agent(SECRET_LITERAL, Severity.OK, a, a.at("docker", "env"), "no credential is written in clear in "
                    + "its configuration", null);
        }
    }

    private static void look(AgentView a, Findings out, String name, Object value, boolean shapeless, String... keys) {
        Optional<FieldOrigin> where = a.written(keys);
        // As written, before substitution: a value that arrived through ${VAR} was not in the file.
        String written = where.map(FieldOrigin::written).orElse(value == null ? null : value.toString());
        SecretShapes.literalSecret(name, written, shapeless).ifPresent(kind -> out.agent(SECRET_LITERAL, Severity.HIGH, a,
                where.orElseGet(() -> a.at(keys)), String.join(".", keys).replace(".[", "[") + " holds " + kind
                        + " written in clear in the fleet's files", FIX));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
