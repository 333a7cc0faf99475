package io.herdctl.audit.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.quarkus.runtime.configuration.PathConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** The egress keys as the Compose stack sets them: environment variables. */
class AuditSettingsTest {

    static AuditSettings from(Map<String, String> env) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(AuditSettings.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withConverter(Path.class, 200, new PathConverter())
                .withConverter(MemorySize.class, 200, new MemorySizeConverter())
                .withSources(new EnvConfigSource(env, 300)).build();
        return config.getConfigMapping(AuditSettings.class);
    }

    @Test
    void theProxyLogIsOffUnlessSetAndItsKeysHaveDefaults() {
        AuditSettings settings = from(Map.of());
        assertEquals(Optional.empty(), settings.proxyLog());
        assertEquals(Duration.ofMillis(500), settings.proxyLogPollInterval());
        assertEquals(Duration.ofSeconds(5), settings.proxyLogGrace());
    }

    @Test
    void theProxyLogKeysReadTheirEnvironmentVariables() {
        AuditSettings settings = from(Map.of("HERDCTL_AUDIT_PROXY_LOG", "/var/log/herdctl-proxy/access.jsonl",
                "HERDCTL_AUDIT_PROXY_LOG_POLL_INTERVAL", "250ms", "HERDCTL_AUDIT_PROXY_LOG_GRACE", "10s"));
        assertEquals(Optional.of(Path.of("/var/log/herdctl-proxy/access.jsonl")), settings.proxyLog());
        assertEquals(Duration.ofMillis(250), settings.proxyLogPollInterval());
        assertEquals(Duration.ofSeconds(10), settings.proxyLogGrace());
    }
}
