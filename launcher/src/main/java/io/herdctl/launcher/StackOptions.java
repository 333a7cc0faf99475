package io.herdctl.launcher;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

import io.herdctl.testsupport.EmbeddedKafkaBroker;

/**
 * What an embedded stack runs on: where the built services are, the fleet, the
 * state directory, and the ports (all on 127.0.0.1, except the dashboard's when
 * the fleet's {@code web:} block puts it elsewhere behind authentication).
 */
public record StackOptions(
        Path home,
        Path fleet,
        Path stateDir,
        Map<Service, Integer> ports,
        int kafkaPort,
        int kafkaControllerPort,
        boolean persistentBroker,
        String stackId,
        WebSettings web) {

    /** The five services, with the port each uses by default. */
    public enum Service {
        CONFIG("config-service", 3242),
        SCHEDULER("scheduler-service", 3241),
        RUNNER("runner-service", 3243),
        AUDIT("audit-service", 3244),
        DASHBOARD("dashboard-service", 3232);

        private final String module;
        private final int defaultPort;

        Service(String module, int defaultPort) {
            this.module = module;
            this.defaultPort = defaultPort;
        }

        public String module() {
            return module;
        }

        public int defaultPort() {
            return defaultPort;
        }
    }

    public static final int DEFAULT_KAFKA_PORT = 19092;

    /** The defaults of {@code ./herdctl up}: fixed ports, a broker that keeps its data in the state directory. */
    public static StackOptions defaults(Path home, Path fleet, Path stateDir, int dashboardPort, String stackId) {
        Map<Service, Integer> ports = new EnumMap<>(Service.class);
        for (Service s : Service.values()) {
            ports.put(s, s.defaultPort());
        }
        ports.put(Service.DASHBOARD, dashboardPort);
        return new StackOptions(home, fleet, stateDir, ports, DEFAULT_KAFKA_PORT, DEFAULT_KAFKA_PORT + 1, true, stackId,
                WebSettings.DEFAULT);
    }

    /**
     * A private stack for tests and benchmarks: every service on a free port, a
     * throw-away broker, so it runs beside a `./herdctl up` on the same machine.
     */
    public static StackOptions isolated(Path home, Path fleet, Path stateDir, String stackId) {
        Map<Service, Integer> ports = new EnumMap<>(Service.class);
        for (Service s : Service.values()) {
            ports.put(s, EmbeddedKafkaBroker.freePort());
        }
        return new StackOptions(home, fleet, stateDir, ports, 0, 0, false, stackId, WebSettings.DEFAULT);
    }

    /** The same, with the dashboard run as the fleet's {@code web:} block says (address, authentication). */
    public StackOptions withWeb(WebSettings settings) {
        return new StackOptions(home, fleet, stateDir, ports, kafkaPort, kafkaControllerPort, persistentBroker, stackId,
                settings);
    }

    public Path jobsDir() {
        return stateDir.resolve("jobs");
    }

    public Path logDir() {
        return stateDir.resolve("logs");
    }

    public Path jarOf(Service service) {
        return home.resolve("services").resolve(service.module()).resolve("target/quarkus-app/quarkus-run.jar");
    }
}
