package io.herdctl.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.herdctl.launcher.StackOptions.Service;
import io.herdctl.testsupport.EmbeddedKafkaBroker;

/**
 * The whole system on one machine: a Kafka broker in this JVM and the five
 * services as child processes, every listener on 127.0.0.1. Closing it stops the
 * services (which stop their containers), the broker, and then removes any
 * container still labelled with this stack's id.
 */
public final class EmbeddedStack implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final StackOptions options;
    private final EmbeddedKafkaBroker broker;
    private final Map<Service, Process> processes = new EnumMap<>(Service.class);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String serviceToken;
    private volatile boolean closed;

    private EmbeddedStack(StackOptions options, EmbeddedKafkaBroker broker) {
        this.options = options;
        this.broker = broker;
        String given = System.getenv(ServiceTokens.ENV);
        this.serviceToken = given != null && !given.isBlank() ? given.strip() : ServiceTokens.generate();
    }

    /** Starts everything and returns once every service reports ready; on any failure nothing is left running. */
    public static EmbeddedStack start(StackOptions options) {
        for (Service s : Service.values()) {
            Path jar = options.jarOf(s);
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(s.module() + " is not built (" + jar + " is missing); run: mvn -DskipTests package");
            }
            requireFreePort(options.ports().get(s), s.module());
        }
        if (options.persistentBroker()) {
            requireFreePort(options.kafkaPort(), "the Kafka broker");
            requireFreePort(options.kafkaControllerPort(), "the Kafka controller");
        }
        try {
            Files.createDirectories(options.logDir());
            Files.createDirectories(options.jobsDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + options.stateDir(), e);
        }
        EmbeddedKafkaBroker broker = options.persistentBroker()
                ? EmbeddedKafkaBroker.startPersistent(options.stateDir().resolve("kafka"), options.kafkaPort(),
                        options.kafkaControllerPort())
                : EmbeddedKafkaBroker.startEphemeral();
        EmbeddedStack stack = new EmbeddedStack(options, broker);
        try {
            broker.createProjectTopics();
            for (Service s : Service.values()) {
                stack.processes.put(s, stack.launch(s));
            }
            stack.awaitReady();
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    public String url(Service service) {
        String host = service == Service.DASHBOARD ? options.web().reachableHost() : "127.0.0.1";
        return "http://" + host + ":" + options.ports().get(service);
    }

    public StackOptions options() {
        return options;
    }

    /**
     * The token scheduler-service asks of every call that changes the fleet;
     * {@code HERDCTL_SERVICE_TOKEN} when the launcher has it, else made for this start.
     */
    public String serviceToken() {
        return serviceToken;
    }

    /** The service processes, for checks such as which addresses they listen on. */
    public List<ProcessHandle> processes() {
        return processes.values().stream().map(Process::toHandle).toList();
    }

    private Process launch(Service s) {
        List<String> cmd = new ArrayList<>(List.of(javaExecutable(), "-Xms64m", "-Xmx384m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Dkafka.bootstrap.servers=" + broker.bootstrapServers(),
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + options.ports().get(s)));
        switch (s) {
            case CONFIG -> cmd.add("-Dherdctl.fleet.path=" + options.fleet());
            case SCHEDULER -> fleetEnvFile().ifPresent(env -> cmd.add("-Dherdctl.scheduler.env-file=" + env));
            case RUNNER -> {
                cmd.add("-Dherdctl.runner.stack-label=" + options.stackId());
                cmd.add("-Dherdctl.runner.state-dir=" + options.stateDir());
                // The whole stack is stopping: running jobs get a short drain, within the stop timeout.
                cmd.add("-Dherdctl.runner.drain-timeout=10s");
                fleetEnvFile().ifPresent(env -> cmd.add("-Dherdctl.runner.env-file=" + env));
            }
            case AUDIT -> cmd.add("-Dherdctl.audit.state-dir=" + options.stateDir());
            case DASHBOARD -> {
                cmd.add("-Dquarkus.rest-client.scheduler.url=" + url(Service.SCHEDULER));
                cmd.add("-Dquarkus.rest-client.audit.url=" + url(Service.AUDIT));
                cmd.add("-Dquarkus.rest-client.config.url=" + url(Service.CONFIG));
                // After the loopback default above: the last -D of a name wins.
                options.web().dashboardProperties().forEach((k, v) -> cmd.add("-D" + k + "=" + v));
            }
            default -> {
            }
        }
        cmd.addAll(List.of("-jar", options.jarOf(s).toString()));
        Path log = options.logDir().resolve(s.module() + ".log");
        ProcessBuilder process = new ProcessBuilder(cmd)
                .directory(options.stateDir().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // In the environment, not on the command line where ps shows it; and only for the scheduler, which asks
        // for it, and the dashboard, which presents it. The runner (and its host-process jobs) never has it.
        process.environment().remove(ServiceTokens.ENV);
        if (s == Service.SCHEDULER || s == Service.DASHBOARD) {
            process.environment().put(ServiceTokens.ENV, serviceToken);
        }
        try {
            return process.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + s.module(), e);
        }
    }

    private java.util.Optional<Path> fleetEnvFile() {
        Path fleet = options.fleet();
        Path dir = Files.isDirectory(fleet) ? fleet : fleet.getParent();
        Path env = dir == null ? null : dir.resolve(".env");
        return env != null && Files.isRegularFile(env) ? java.util.Optional.of(env) : java.util.Optional.empty();
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        for (Service s : Service.values()) {
            Process p = processes.get(s);
            while (!ready(s)) {
                if (!p.isAlive()) {
                    throw new IllegalStateException(s.module() + " exited with code " + p.exitValue() + " while starting; "
                            + "its log ends with:\n" + tail(options.logDir().resolve(s.module() + ".log"), 25));
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(s.module() + " was not ready within " + READY_TIMEOUT + "; see "
                            + options.logDir().resolve(s.module() + ".log"));
                }
                sleep(200);
            }
        }
    }

    private boolean ready(Service s) {
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url(s) + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + s.module(), e);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        // Stop the producers of work first, the runner (which stops its containers) and the rest together.
        processes.values().forEach(Process::destroy);
        long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
        for (Process p : processes.values()) {
            try {
                long left = Math.max(0, deadline - System.nanoTime());
                if (!p.waitFor(left, TimeUnit.NANOSECONDS)) {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
        try {
            broker.close();
        } finally {
            Containers.removeLabelled("io.herdctl.stack=" + options.stackId());
        }
    }

    private static void requireFreePort(int port, String what) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
        } catch (IOException e) {
            throw new IllegalStateException("port " + port + " on 127.0.0.1, needed by " + what + ", is in use "
                    + "(is another herdctl running?)");
        }
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
