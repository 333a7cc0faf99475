package io.herdctl.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.herdctl.testsupport.EmbeddedKafkaBroker;

/**
 * One service instance as a process of its own, on a free port of 127.0.0.1:
 * what tests and benchmarks use to run several runners or schedulers against
 * one broker, and to kill one the hard way.
 */
public final class ServiceProcess implements AutoCloseable {

    private final String name;
    private final int port;
    private final Process process;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ServiceProcess(String name, int port, Process process, Path log) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /**
     * A runner-service replica named {@code name} (its id gets a random suffix per start).
     *
     * @param home      the project checkout (where services/runner-service/target is)
     * @param stateDir  where its log and session directories go
     * @param settings  extra {@code herdctl.runner.*} (or any) properties, e.g. {@code herdctl.runner.max-parallel-jobs}
     */
    public static ServiceProcess startRunner(Path home, String bootstrapServers, String name, Path stateDir,
            Map<String, String> settings) {
        Map<String, String> all = new java.util.LinkedHashMap<>(Map.of("herdctl.runner.id", name,
                "herdctl.runner.state-dir", stateDir.toString()));
        all.putAll(settings);
        return start(home, "runner-service", bootstrapServers, name, stateDir, all);
    }

    /**
     * Any service of the project.
     *
     * @param module   its module name, e.g. {@code scheduler-service}
     * @param name     a name for its log file ({@code <stateDir>/<name>.log}) and messages
     * @param settings system properties for it
     */
    public static ServiceProcess start(Path home, String module, String bootstrapServers, String name, Path stateDir,
            Map<String, String> settings) {
        Path jar = home.resolve("services/" + module + "/target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(module + " is not built (" + jar + " is missing)");
        }
        int port = EmbeddedKafkaBroker.freePort();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms64m", "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dkafka.bootstrap.servers=" + bootstrapServers,
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port));
        settings.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.addAll(List.of("-jar", jar.toString()));
        try {
            Files.createDirectories(stateDir);
            Path log = stateDir.resolve(name + ".log");
            ProcessBuilder builder = new ProcessBuilder(cmd).directory(stateDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            // A token exported for the CLI is not this process's to inherit: these services run open, as configured.
            builder.environment().remove(ServiceTokens.ENV);
            Process p = builder.start();
            return new ServiceProcess(name, port, p, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    public String name() {
        return name;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public Path log() {
        return log;
    }

    /** The exit code, waiting for the process to end. */
    public int exitValue() throws InterruptedException {
        return process.waitFor();
    }

    public ProcessHandle handle() {
        return process.toHandle();
    }

    /** Waits until the service reports ready. */
    public ServiceProcess awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue()
                        + "; its log ends with:\n" + EmbeddedStack.tail(log, 25));
            }
            if (health("/q/health/ready") == 200) {
                return this;
            }
            sleep(200);
        }
        throw new IllegalStateException(name + " was not ready within " + timeout + "; see " + log);
    }

    /** HTTP status of a health endpoint, or -1 when the service does not answer. */
    public int health(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The body of a GET on the service, or null when it does not answer. */
    public String get(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** SIGKILL: the service gets no chance to clean up, as in a crash or an OOM kill. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM, then SIGKILL if it has not stopped within the timeout. */
    public void stop(Duration timeout) {
        process.destroy();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            stop(Duration.ofSeconds(30));
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
