package io.herdctl.launcher;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;

import io.herdctl.testsupport.EmbeddedKafkaBroker;

/**
 * {@code herdctl broker}: a Kafka node (KRaft) as a process of its own, the broker of
 * the Compose deployment. Without settings it is the same single node as the embedded
 * stack's, on 127.0.0.1. Any Kafka broker property can be set from the environment
 * the way Kafka images do it: {@code KAFKA_ADVERTISED_LISTENERS} is
 * {@code advertised.listeners} (an underscore is a dot, a double underscore an
 * underscore), so the same image runs as one node of a multi-node cluster.
 *
 * <p>herdctl's own settings:
 * <ul>
 * <li>{@code HERDCTL_BROKER_DATA_DIR}: where the log lives (default {@code .herdctl/kafka});</li>
 * <li>{@code HERDCTL_BROKER_CLUSTER_ID}: the id storage is formatted with; required when the
 * controller quorum has more than one voter, since every node must share it;</li>
 * <li>{@code HERDCTL_BROKER_TOPIC_REPLICATION}: how many brokers hold each partition of the
 * project's topics, which this node creates once the cluster has that many brokers (default 1);</li>
 * <li>{@code HERDCTL_BROKER_READY_FILE}: a file written once the topics exist, for health checks.</li>
 * </ul>
 */
final class BrokerCommand {

    private BrokerCommand() {
    }

    static void run(Deque<String> args, Map<String, String> env) throws InterruptedException, IOException {
        Path configFile = null;
        while (!args.isEmpty()) {
            String arg = args.pop();
            if (arg.equals("--config") && !args.isEmpty()) {
                configFile = Path.of(args.pop());
            } else {
                throw new IllegalArgumentException("unknown argument to broker: " + arg
                        + " (usage: herdctl broker [--config server.properties]; settings also from KAFKA_* variables)");
            }
        }
        Path dataDir = Path.of(env.getOrDefault("HERDCTL_BROKER_DATA_DIR", ".herdctl/kafka")).toAbsolutePath();
        Properties props = properties(dataDir, configFile, env);
        String clusterId = blankToNull(env.get("HERDCTL_BROKER_CLUSTER_ID"));
        int voters = props.getProperty("controller.quorum.voters", "").split(",").length;
        if (voters > 1 && clusterId == null) {
            throw new IllegalArgumentException("controller.quorum.voters names " + voters + " nodes; set "
                    + "HERDCTL_BROKER_CLUSTER_ID to the same id on every node (any 22-character base64 id, e.g. from "
                    + "'kafka-storage random-uuid')");
        }
        short replication = parseReplication(env.getOrDefault("HERDCTL_BROKER_TOPIC_REPLICATION", "1"));
        String bootstrap = adminAddress(props);

        System.out.println("herdctl broker: node " + props.getProperty("node.id") + ", listeners "
                + props.getProperty("listeners") + ", advertised " + props.getProperty("advertised.listeners")
                + ", data in " + props.getProperty("log.dirs"));
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(props, clusterId, bootstrap);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
        }, "broker-shutdown"));
        createTopics(broker, replication);
        String readyFile = blankToNull(env.get("HERDCTL_BROKER_READY_FILE"));
        if (readyFile != null) {
            Files.writeString(Path.of(readyFile), "ready\n", StandardCharsets.UTF_8);
        }
        System.out.println("herdctl broker: ready on " + bootstrap + " (topics with replication " + replication + ")");
        stopped.await();
    }

    /** Single-node defaults, then the config file, then {@code KAFKA_*} variables; the later wins. */
    static Properties properties(Path dataDir, Path configFile, Map<String, String> env) throws IOException {
        Properties props = new Properties();
        props.putAll(EmbeddedKafkaBroker.defaultProperties(dataDir, 9092, 9093));
        if (configFile != null) {
            try (Reader r = Files.newBufferedReader(configFile, StandardCharsets.UTF_8)) {
                props.load(r);
            }
        }
        props.putAll(fromEnvironment(env));
        return props;
    }

    /** {@code KAFKA_LOG_RETENTION_HOURS=72} → {@code log.retention.hours=72}; {@code __} stands for {@code _}. */
    static Map<String, String> fromEnvironment(Map<String, String> env) {
        Map<String, String> props = new TreeMap<>();
        env.forEach((name, value) -> {
            if (name.startsWith("KAFKA_") && name.length() > 6 && !name.equals("KAFKA_OPTS")
                    && !name.equals("KAFKA_HEAP_OPTS")) {
                String key = name.substring(6).toLowerCase(Locale.ROOT).replace("__", "\u0000").replace('_', '.')
                        .replace('\u0000', '_');
                props.put(key, value);
            }
        });
        return props;
    }

    /**
     * The address this process uses to reach its own node: the advertised address of
     * the inter-broker listener (or of the first listener that is not a controller's).
     */
    static String adminAddress(Properties props) {
        String advertised = props.getProperty("advertised.listeners", props.getProperty("listeners", ""));
        String wanted = props.getProperty("inter.broker.listener.name");
        List<String> controllers = List.of(props.getProperty("controller.listener.names", "CONTROLLER").split(","));
        List<String[]> candidates = new ArrayList<>();
        for (String listener : advertised.split(",")) {
            String[] nameAndAddress = listener.trim().split("://", 2);
            if (nameAndAddress.length == 2 && !controllers.contains(nameAndAddress[0])) {
                candidates.add(nameAndAddress);
            }
        }
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("no broker listener in advertised.listeners/listeners: " + advertised);
        }
        for (String[] c : candidates) {
            if (c[0].equals(wanted)) {
                return hostPort(c[1]);
            }
        }
        return hostPort(candidates.get(0)[1]);
    }

    private static String hostPort(String address) {
        return address.startsWith("0.0.0.0:") ? "127.0.0.1:" + address.substring(8) : address;
    }

    private static void createTopics(EmbeddedKafkaBroker broker, short replication) throws InterruptedException {
        long deadline = System.nanoTime() + 300_000_000_000L;
        while (true) {
            try {
                broker.createProjectTopics(replication);
                return;
            } catch (IllegalStateException e) {
                // A cluster still coming up has fewer brokers than the replication factor.
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                System.out.println("herdctl broker: topics not created yet (" + e.getMessage() + "); retrying");
                Thread.sleep(2000);
            }
        }
    }

    private static short parseReplication(String text) {
        try {
            short value = Short.parseShort(text.trim());
            if (value >= 1) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("HERDCTL_BROKER_TOPIC_REPLICATION must be a whole number from 1, not '" + text + "'");
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
