package io.herdctl.runner.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.herdctl.events.AgentSpec;
import io.herdctl.events.DotEnv;
import io.herdctl.runner.docker.JobRejectedException;

/**
 * Builds a job container's secret-bearing environment at the last moment: the
 * credentials Claude Code reads (from the runner's own environment) and the
 * fleet's {@code docker.env}, whose {@code ${VAR}} references config-service left
 * unresolved. Looks in the process environment first, then the env file.
 */
public final class EnvResolver {

    /** What Claude Code authenticates with, passed through when the runner has it. */
    static final List<String> CREDENTIALS = List.of("ANTHROPIC_API_KEY", "CLAUDE_CODE_OAUTH_TOKEN");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\\}");

    private final Map<String, String> processEnv;
    private final Optional<Path> envFile;

    public EnvResolver(Map<String, String> processEnv, Optional<Path> envFile) {
        this.processEnv = Map.copyOf(processEnv);
        this.envFile = envFile;
    }

    public Map<String, String> resolve(AgentSpec.DockerSpec docker) {
        Map<String, String> lookup = new LinkedHashMap<>(readEnvFile());
        lookup.putAll(processEnv);
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : CREDENTIALS) {
            String value = lookup.get(name);
            if (value != null && !value.isEmpty()) {
                out.put(name, value);
            }
        }
        docker.env().forEach((name, template) -> {
            Matcher m = VARIABLE.matcher(template);
            StringBuilder value = new StringBuilder();
            while (m.find()) {
                String v = lookup.get(m.group(1));
                if (v == null) {
                    v = m.group(2);
                }
                if (v == null) {
                    throw new JobRejectedException("docker.env." + name + " refers to ${" + m.group(1)
                            + "}, which is set neither in the runner's environment nor in its env file");
                }
                m.appendReplacement(value, Matcher.quoteReplacement(v));
            }
            m.appendTail(value);
            out.put(name, value.toString());
        });
        return out;
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
