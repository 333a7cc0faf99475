package io.herdctl.runner.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.herdctl.events.AgentSpec;
import io.herdctl.events.DotEnv;
import io.herdctl.events.JobRequested;
import io.herdctl.events.SecretReferences;
import io.herdctl.runner.docker.JobRejectedException;

/**
 * Resolves a job's secrets at the last moment, from the runner's own
 * environment first, then its env file: the credentials Claude Code reads, the
 * fleet's {@code docker.env} (whose {@code ${VAR}} references config-service left
 * as written), and references to secret-named variables in the prompts. Every
 * value it hands out is also returned for redaction.
 */
public final class EnvResolver {

    /** What Claude Code authenticates with, passed through when the runner has it. */
    static final List<String> CREDENTIALS = List.of("ANTHROPIC_API_KEY", "CLAUDE_CODE_OAUTH_TOKEN");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, String> processEnv;
    private final Optional<Path> envFile;

    public EnvResolver(Map<String, String> processEnv, Optional<Path> envFile) {
        this.processEnv = Map.copyOf(processEnv);
        this.envFile = envFile;
    }

    /** A job's resolved environment and prompts, and every secret value among them (name to value). */
    public record Resolved(Map<String, String> containerEnv, String prompt, String systemPrompt, String mcpConfig,
            Map<String, String> secrets) {

        @Override
        public String toString() {
            return "Resolved[" + containerEnv.size() + " env entries, " + secrets.size() + " secrets (values hidden)]";
        }
    }

    public Resolved resolve(JobRequested job) {
        Map<String, String> lookup = new LinkedHashMap<>(readEnvFile());
        lookup.putAll(processEnv);
        Map<String, String> secrets = new LinkedHashMap<>();
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : CREDENTIALS) {
            String value = lookup.get(name);
            if (value != null && !value.isEmpty()) {
                env.put(name, value);
                secrets.put(name, value);
            }
        }
        AgentSpec.DockerSpec docker = job.spec().docker();
        docker.env().forEach((name, template) -> {
            String value = substitute(template, lookup, "docker.env." + name);
            env.put(name, value);
            secrets.put(name, value);
        });
        java.util.function.Function<String, String> secretLookup = name -> {
            String value = lookup.get(name);
            if (value != null) {
                secrets.put(name, value);
            }
            return value;
        };
        String prompt = SecretReferences.resolveSecrets(job.prompt(), secretLookup);
        String systemPrompt = SecretReferences.resolveSecrets(job.spec().systemPrompt(), secretLookup);
        return new Resolved(env, prompt, systemPrompt, mcpConfig(job.spec(), lookup, secrets), secrets);
    }

    /**
     * {@code {"mcpServers":{...}}} for {@code --mcp-config}, with the {@code env} and
     * {@code headers} values config-service left as written resolved here; null
     * when the agent has no MCP servers.
     */
    private static String mcpConfig(AgentSpec spec, Map<String, String> lookup, Map<String, String> secrets) {
        if (spec.mcpServers().isEmpty()) {
            return null;
        }
        Map<String, Object> servers = new LinkedHashMap<>();
        spec.mcpServers().forEach((name, value) -> {
            if (!(value instanceof Map<?, ?> server)) {
                throw new JobRejectedException("mcp_servers." + name + " is not an object");
            }
            Map<String, Object> resolved = new LinkedHashMap<>();
            server.forEach((k, v) -> {
                String key = String.valueOf(k);
                if ((key.equals("env") || key.equals("headers")) && v instanceof Map<?, ?> entries) {
                    Map<String, String> values = new LinkedHashMap<>();
                    entries.forEach((ek, ev) -> {
                        String where = "mcp_servers." + name + "." + key + "." + ek;
                        String resolvedValue = substitute(String.valueOf(ev), lookup, where);
                        if (!resolvedValue.equals(String.valueOf(ev))) {
                            secrets.put(where, resolvedValue);
                        }
                        values.put(String.valueOf(ek), resolvedValue);
                    });
                    resolved.put(key, values);
                } else {
                    resolved.put(key, v);
                }
            });
            servers.put(name, resolved);
        });
        try {
            return JSON.writeValueAsString(Map.of("mcpServers", servers));
        } catch (JsonProcessingException e) {
            throw new JobRejectedException("mcp_servers cannot be written as JSON: " + e.getOriginalMessage());
        }
    }

    private static String substitute(String template, Map<String, String> lookup, String where) {
        Matcher m = SecretReferences.REFERENCE.matcher(template);
        StringBuilder value = new StringBuilder();
        while (m.find()) {
            String v = lookup.get(m.group(1));
            if (v == null) {
                v = m.group(2);
            }
            if (v == null) {
                throw new JobRejectedException(where + " refers to ${" + m.group(1)
                        + "}, which is set neither in the runner's environment nor in its env file");
            }
            m.appendReplacement(value, Matcher.quoteReplacement(v));
        }
        m.appendTail(value);
        return value.toString();
    }

    private Map<String, String> readEnvFile() {
        if (envFile.isEmpty() || !Files.isRegularFile(envFile.get())) {
            return Map.of();
        }
        try {
            return DotEnv.parse(Files.readString(envFile.get()));
        } catch (IOException e) {
            throw new JobRejectedException("cannot read the env file " + envFile.get() + ": " + e.getMessage());
        }
    }
}
