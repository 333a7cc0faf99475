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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

import io.herdctl.events.Topics;
import io.herdctl.testsupport.EmbeddedKafkaBroker;
import io.herdctl.testsupport.ListenerPrincipalBuilder;

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
 * <li>{@code HERDCTL_BROKER_READY_FILE}: a file written once the topics exist, for health checks;</li>
 * <li>{@code HERDCTL_BROKER_READ_ONLY_LISTENERS}: listener names whose clients may only read
 * {@code HERDCTL_BROKER_READ_ONLY_TOPICS} (default: the alerts and job status topics), the way a
 * SIEM does; every other listener may do everything. Clients are told apart by the listener
 * they connect to ({@link ListenerPrincipalBuilder}), and the broker's authorizer enforces it.</li>
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
        List<String> readOnly = names(env.get("HERDCTL_BROKER_READ_ONLY_LISTENERS"));
        List<String> readable = names(env.getOrDefault("HERDCTL_BROKER_READ_ONLY_TOPICS",
                Topics.ALERTS + "," + Topics.JOB_STATUS));
        if (!readOnly.isEmpty()) {
            restrictListeners(props, readOnly);
        }
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
        if (!readOnly.isEmpty()) {
            grantRead(broker, readOnly, readable);
            System.out.println("herdctl broker: listeners " + readOnly + " may only read " + readable);
        }
        String readyFile = blankToNull(env.get("HERDCTL_BROKER_READY_FILE"));
        if (readyFile != null) {
            Files.writeString(Path.of(readyFile), "ready\n", StandardCharsets.UTF_8);
        }
        System.out.println("herdctl broker: ready on " + bootstrap + " (topics with replication " + replication + ")");
        stopped.await();
    }

    /**
     * Turns on the broker's authorizer with every client named after its listener: the
     * listeners not in {@code readOnly} are super users, the others get only what
     * {@link #grantRead} allows.
     */
    static void restrictListeners(Properties props, List<String> readOnly) {
        List<String> all = new ArrayList<>();
        for (String listener : props.getProperty("listeners", "").split(",")) {
            String name = listener.trim().split("://", 2)[0];
            if (!name.isEmpty()) {
                all.add(name);
            }
        }
        for (String name : readOnly) {
            if (!all.contains(name)) {
                throw new IllegalArgumentException("HERDCTL_BROKER_READ_ONLY_LISTENERS names " + name
                        + ", which is not one of the listeners " + all);
            }
        }
        List<String> trusted = all.stream().filter(n -> !readOnly.contains(n)).toList();
        if (trusted.stream().noneMatch(n -> !List.of(props.getProperty("controller.listener.names", "CONTROLLER")
                .split(",")).contains(n))) {
            throw new IllegalArgumentException("every broker listener would be read-only; the services need one of their own");
        }
        props.put("principal.builder.class", ListenerPrincipalBuilder.class.getName());
        props.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        props.put("allow.everyone.if.no.acl.found", "false");
        props.put("super.users", String.join(";", trusted.stream().map(n -> "User:" + n).toList()));
    }

    /** Read and describe on {@code topics}, and any consumer group, for the read-only listeners. */
    static void grantRead(EmbeddedKafkaBroker broker, List<String> listeners, List<String> topics) {
        List<AclBinding> acls = new ArrayList<>();
        for (String listener : listeners) {
            String principal = "User:" + listener;
            for (String topic : topics) {
                for (AclOperation op : List.of(AclOperation.READ, AclOperation.DESCRIBE)) {
                    acls.add(new AclBinding(new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL),
                            new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW)));
                }
            }
            acls.add(new AclBinding(new ResourcePattern(ResourceType.GROUP, "*", PatternType.LITERAL),
                    new AccessControlEntry(principal, "*", AclOperation.READ, AclPermissionType.ALLOW)));
        }
        try (var admin = broker.admin()) {
            admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
            // The controller acknowledges the ACLs once committed; the broker's authorizer applies them
            // from the metadata log a moment later. Ready means a read-only client can read already.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!admin.describeAcls(AclBindingFilter.ANY).values()
                    .get(10, TimeUnit.SECONDS).containsAll(acls)) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("the broker has not applied the read-only rights in 30 s");
                }
                Thread.sleep(50);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot grant the read-only listeners their rights: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while granting rights", e);
        }
    }

    private static List<String> names(String text) {
        List<String> names = new ArrayList<>();
        if (text != null) {
            for (String n : text.split(",")) {
                if (!n.isBlank()) {
                    names.add(n.trim());
                }
            }
        }
        return names;
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
