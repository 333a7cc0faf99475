package io.herdctl.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.utils.Time;

import io.herdctl.events.Topics;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one) running
 * inside this JVM. Every listener binds to 127.0.0.1. Used by the tests and by the
 * embedded stack ({@code ./herdctl up}); it speaks the same protocol as any
 * cluster, so nothing in the services knows the difference.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaRaftServer server;
    private final Path dataDir;
    private final boolean deleteDataOnClose;
    private final String bootstrapServers;
    private volatile boolean closed;

    private EmbeddedKafkaBroker(KafkaRaftServer server, Path dataDir, boolean deleteDataOnClose, String bootstrapServers) {
        this.server = server;
        this.dataDir = dataDir;
        this.deleteDataOnClose = deleteDataOnClose;
        this.bootstrapServers = bootstrapServers;
    }

    /** A throw-away broker on free ports with its data in a temp dir removed on close. */
    public static EmbeddedKafkaBroker startEphemeral() {
        try {
            Path dir = Files.createTempDirectory("herdctl-kafka-");
            return start(dir, freePort(), freePort(), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temp dir for the broker", e);
        }
    }

    /**
     * A broker on the given ports keeping its log in {@code dataDir}; an existing
     * log is reused, so topics and their records survive a restart.
     */
    public static EmbeddedKafkaBroker startPersistent(Path dataDir, int port, int controllerPort) {
        return start(dataDir, port, controllerPort, false);
    }

    private static EmbeddedKafkaBroker start(Path dataDir, int port, int controllerPort, boolean deleteOnClose) {
        Properties props = defaultProperties(dataDir, port, controllerPort);
        return start(props, null, "127.0.0.1:" + port, dataDir, deleteOnClose);
    }

    /**
     * A broker (or broker and controller) configured by {@code props}, the same
     * properties {@code kafka.Kafka} takes: listeners, advertised listeners,
     * node id and controller quorum of any KRaft cluster. Storage that was never
     * formatted is formatted with {@code clusterId} (a random one when null: only
     * right for a single node). {@code adminBootstrap} is an address of this
     * broker that this process can reach, used to wait until it serves.
     */
    public static EmbeddedKafkaBroker start(Properties props, String clusterId, String adminBootstrap) {
        String logDirs = props.getProperty("log.dirs");
        if (logDirs == null || logDirs.isBlank()) {
            throw new IllegalArgumentException("the broker properties have no log.dirs");
        }
        return start(props, clusterId, adminBootstrap, Path.of(logDirs.split(",")[0].trim()), false);
    }

    private static EmbeddedKafkaBroker start(Properties props, String clusterId, String adminBootstrap, Path dataDir,
            boolean deleteOnClose) {
        try {
            for (String dir : props.getProperty("log.dirs").split(",")) {
                Files.createDirectories(Path.of(dir.trim()));
            }
            format(props, clusterId);
            KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            server.startup();
            EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(server, dataDir, deleteOnClose, adminBootstrap);
            broker.awaitReady();
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the broker data dir " + dataDir, e);
        }
    }

    /**
     * A single node, broker and controller, listening on 127.0.0.1 only, with its log in
     * {@code dataDir/log}: the embedded stack's broker, and the base a deployment overrides.
     */
    public static Properties defaultProperties(Path dataDir, int port, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", dataDir.resolve("log").toString());
        p.put("num.partitions", "1");
        p.put("auto.create.topics.enable", "false");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("log.cleaner.backoff.ms", "1000");
        return p;
    }

    /** Formats the log dirs that were never formatted; a formatted one keeps its data and cluster id. */
    private static void format(Properties props, String clusterId) throws IOException {
        Path first = Path.of(props.getProperty("log.dirs").split(",")[0].trim());
        if (Files.exists(first.resolve("meta.properties"))) {
            return;
        }
        Path file = Files.createTempFile("herdctl-broker-", ".properties");
        try {
            try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                props.store(w, "generated by herdctl's broker for formatting its storage");
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                // execute, never main: main exits the JVM.
                StorageTool.execute(new String[] {"format", "-t", clusterId != null ? clusterId : Uuid.randomUuid().toString(),
                        "-c", file.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8));
            } catch (Exception e) {
                throw new IllegalStateException("formatting the broker storage in " + props.getProperty("log.dirs")
                        + " failed: " + out.toString(StandardCharsets.UTF_8).trim(), e);
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try (Admin admin = admin()) {
                if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                    return;
                }
            } catch (ExecutionException | TimeoutException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the broker", e);
            }
        }
        close();
        throw new IllegalStateException("the broker at " + bootstrapServers + " did not answer within " + READY_TIMEOUT, last);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000",
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000"));
    }

    /**
     * Waits until consumer group {@code group} is stable with exactly {@code members}
     * members that each hold partitions of {@code topic} and together hold all of
     * them, and returns each member's partitions of that topic (member id to
     * partition numbers). Tests that place work on particular replicas read the
     * assignment here rather than predicting it: an assignor may split partitions
     * in any way, and a sticky one keeps whatever an early member took.
     */
    public Map<String, Set<Integer>> awaitGroupAssignment(String group, String topic, int members, Duration timeout)
            throws InterruptedException {
        int partitions = Topics.spec(topic).partitions();
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "not described yet";
        try (Admin admin = admin()) {
            while (System.nanoTime() < deadline) {
                try {
                    ConsumerGroupDescription described = admin.describeConsumerGroups(List.of(group)).all()
                            .get(10, TimeUnit.SECONDS).get(group);
                    Map<String, Set<Integer>> held = new java.util.TreeMap<>();
                    for (MemberDescription m : described.members()) {
                        held.put(m.consumerId(), m.assignment().topicPartitions().stream()
                                .filter(tp -> tp.topic().equals(topic)).map(TopicPartition::partition)
                                .collect(Collectors.toCollection(java.util.TreeSet::new)));
                    }
                    int total = held.values().stream().mapToInt(Set::size).sum();
                    last = described.groupState() + ", " + held.size() + " members holding " + total + " partitions";
                    if (described.groupState() == GroupState.STABLE && held.size() == members
                            && held.values().stream().noneMatch(Set::isEmpty) && total == partitions) {
                        return held;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    last = e.getMessage();
                }
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("group " + group + " did not settle on " + members + " members holding the "
                + partitions + " partitions of " + topic + " within " + timeout + " (" + last + ")");
    }

    /** Creates the project's topics ({@link Topics#ALL}) that do not exist yet. */
    public EmbeddedKafkaBroker createProjectTopics() {
        createTopics(Topics.ALL);
        return this;
    }

    /** Creates the project's topics that do not exist yet, each partition on {@code replicationFactor} brokers. */
    public EmbeddedKafkaBroker createProjectTopics(short replicationFactor) {
        createTopics(Topics.ALL, replicationFactor);
        return this;
    }

    public void createTopics(Collection<Topics.TopicSpec> specs) {
        createTopics(specs, (short) 1);
    }

    private void createTopics(Collection<Topics.TopicSpec> specs, short replicationFactor) {
        try (Admin admin = admin()) {
            Set<String> existing = admin.listTopics().names().get(15, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            Map<org.apache.kafka.common.config.ConfigResource, java.util.Collection<org.apache.kafka.clients.admin.AlterConfigOp>>
                    resize = new java.util.HashMap<>();
            for (Topics.TopicSpec spec : specs) {
                Map<String, String> configs = new java.util.HashMap<>();
                configs.put(TopicConfig.CLEANUP_POLICY_CONFIG,
                        spec.compacted() ? TopicConfig.CLEANUP_POLICY_COMPACT : TopicConfig.CLEANUP_POLICY_DELETE);
                if (spec.maxMessageBytes() > 0) {
                    configs.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(spec.maxMessageBytes()));
                }
                if (!existing.contains(spec.name())) {
                    missing.add(new NewTopic(spec.name(), spec.partitions(), replicationFactor).configs(configs));
                } else if (spec.maxMessageBytes() > 0) {
                    // A broker that kept its data from an older version gets the record size it now needs.
                    resize.put(new org.apache.kafka.common.config.ConfigResource(
                            org.apache.kafka.common.config.ConfigResource.Type.TOPIC, spec.name()),
                            List.of(new org.apache.kafka.clients.admin.AlterConfigOp(new org.apache.kafka.clients.admin.ConfigEntry(
                                    TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(spec.maxMessageBytes())),
                                    org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET)));
                }
            }
            if (!missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    // Another node of the cluster may have created them meanwhile.
                    if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                        throw e;
                    }
                }
            }
            if (!resize.isEmpty()) {
                admin.incrementalAlterConfigs(resize).all().get(30, TimeUnit.SECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create topics on " + bootstrapServers + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            if (deleteDataOnClose) {
                deleteRecursively(dataDir);
            }
        }
    }

    /** Where {@link #freePort()} looks: below Linux's ephemeral range (32768 and up), above the well-known ports. */
    static final int FREE_PORT_LOW = 20_000;
    static final int FREE_PORT_HIGH = 32_000;
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    /**
     * A port on 127.0.0.1 that nothing listens on right now, for a listener that
     * is bound a little later, often by another process.
     *
     * <p>Not the kernel's pick for port 0: that comes from the ephemeral range,
     * the same range every outgoing connection takes its local port from, so in
     * the seconds before the listener binds, a connection to the broker or the
     * Docker engine could take it. A random port below that range is taken by
     * nothing but listeners; one this JVM has handed out is not handed out again.
     */
    public static int freePort() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 500; attempt++) {
            int port = random.nextInt(FREE_PORT_LOW, FREE_PORT_HIGH);
            if (HANDED_OUT.contains(port) || !bindable(port)) {
                continue;
            }
            if (HANDED_OUT.add(port)) {
                return port;
            }
        }
        // A machine whose low ports are all taken: the kernel's pick is still a free port.
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException busy) {
            return false;
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // A leftover temp dir is harmless; the broker has stopped either way.
        }
    }
}
