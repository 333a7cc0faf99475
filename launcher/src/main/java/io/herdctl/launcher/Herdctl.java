package io.herdctl.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./herdctl up}: the embedded default. Starts the broker and the five
 * services on 127.0.0.1 with a fleet (the demo fleet unless told otherwise),
 * prints the dashboard address and the jobs as they run, and on Ctrl-C stops
 * everything and leaves no process or container behind.
 */
public final class Herdctl {

    private Herdctl() {
    }

    public static void main(String[] args) {
        Deque<String> rest = new ArrayDeque<>(List.of(args));
        String command = rest.isEmpty() ? "help" : rest.pop();
        try {
            switch (command) {
                case "up" -> up(rest);
                case "trigger" -> System.exit(Client.fromEnvironment(System.out).trigger(rest));
                case "schedules" -> System.exit(Client.fromEnvironment(System.out).schedules());
                case "stop" -> System.exit(Client.fromEnvironment(System.out).stop(rest));
                case "resume" -> System.exit(Client.fromEnvironment(System.out).resume(rest));
                case "alerts" -> System.exit(rest.contains("--follow") || rest.contains("-f")
                        ? AlertFeed.run(rest, System.out, System.err)
                        : JobsClient.fromEnvironment(System.out, System.err).run(command, rest));
                case "jobs", "job", "logs" ->
                        System.exit(JobsClient.fromEnvironment(System.out, System.err).run(command, rest));
                case "incident" -> System.exit(Incident.fromEnvironment(System.out, System.err).run(rest));
                case "broker" -> BrokerCommand.run(rest, System.getenv());
                case "help", "-h", "--help" -> usage();
                default -> {
                    System.err.println("unknown command '" + command + "'");
                    usage();
                    System.exit(2);
                }
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("herdctl: " + e.getMessage());
            System.exit(command.equals("up") || command.equals("broker") ? 1 : Client.USAGE);
        } catch (java.io.IOException e) {
            System.err.println("herdctl: " + e.getMessage());
            System.exit(Client.USAGE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.exit(Client.USAGE);
        }
    }

    private static void usage() {
        System.out.println("""
                usage: herdctl up [--fleet PATH] [--state-dir DIR] [--port PORT]
                       herdctl trigger <agent> [--prompt P] [--schedule S] [--wait [--timeout SECS]]
                       herdctl schedules
                       herdctl stop --all [--reason R] [--by NAME] [--timeout SECS]   the kill switch: schedules and
                                         triggers off, every runner cancels its jobs; waits until none is open
                       herdctl resume [--reason R] [--by NAME]   schedules and triggers on again
                       herdctl incident <jobId> [--out DIR] [--state-dir DIR] [--json]   collect what the security
                                         guide asks for after an incident into one folder (log, metadata, alerts,
                                         workspace changes, docker inspect, agent config, kill switch), with SHA256SUMS
                       herdctl broker [--config server.properties]   a Kafka node (KRaft) on its own; KAFKA_* variables
                                                                     set broker properties (see deploy/README.md)

                  --fleet PATH      fleet file or directory (default: examples/demo)
                  --state-dir DIR   where job logs, service logs and broker data go (default: <fleet dir>/.herdctl)
                  --port PORT       dashboard port (default: the fleet's web.port, else 3232)

                trigger, schedules, stop and resume talk to a running system (HERDCTL_SCHEDULER_URL, default http://127.0.0.1:3241;
                HERDCTL_DASHBOARD_URL, default http://127.0.0.1:3232). trigger --wait exits 0 when the job completed,
                1 when it failed or was cancelled (or the agent is at capacity), 2 on a usage or connection error,
                3 when --timeout passed first.

                incident reads the job's files under --state-dir (default: HERDCTL_STATE_DIR, else ./.herdctl) and asks
                audit, config (HERDCTL_CONFIG_URL, default http://127.0.0.1:3242), scheduler and dashboard for the rest,
                and Docker for the job's containers. The bundle goes to <state dir>/incidents/<jobId>-<UTC time>/ unless
                --out names a new or empty folder; it is never written over. Exit 0 complete, 1 partial (what is missing
                is listed, and why), 2 usage error or unknown job.
                """);
    }

    private static void up(Deque<String> args) {
        Path home = Path.of(System.getProperty("herdctl.home", ".")).toAbsolutePath().normalize();
        Path fleet = home.resolve("examples/demo");
        Path stateDir = null;
        Integer port = null;
        while (!args.isEmpty()) {
            String flag = args.pop();
            if (args.isEmpty()) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String value = args.pop();
            switch (flag) {
                case "--fleet" -> fleet = Path.of(value).toAbsolutePath().normalize();
                case "--state-dir" -> stateDir = Path.of(value).toAbsolutePath().normalize();
                case "--port" -> port = parsePort(value);
                default -> throw new IllegalArgumentException("unknown option " + flag);
            }
        }
        if (!Files.exists(fleet)) {
            throw new IllegalArgumentException("fleet " + fleet + " does not exist");
        }
        Path fleetDir = Files.isDirectory(fleet) ? fleet : fleet.getParent();
        if (stateDir == null) {
            stateDir = fleetDir.resolve(".herdctl");
        }
        String stackId = "up-" + UUID.randomUUID().toString().substring(0, 8);
        WebSettings web;
        try {
            web = WebSettings.of(fleet, System.getenv());
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot read the web block of " + fleet + ": " + e.getMessage(), e);
        }
        int dashboardPort = port != null ? port : web.port() != null ? web.port()
                : StackOptions.Service.DASHBOARD.defaultPort();
        StackOptions options = StackOptions.defaults(home, fleet, stateDir, dashboardPort, stackId).withWeb(web);

        System.out.println("herdctl: starting the broker and five services for fleet " + fleet);
        long started = System.nanoTime();
        EmbeddedStack stack = EmbeddedStack.start(options);
        double seconds = (System.nanoTime() - started) / 1e9;
        Path tokenFile = ServiceTokens.file();
        try {
            ServiceTokens.write(tokenFile, stack.serviceToken());
        } catch (java.io.IOException | RuntimeException e) {
            System.out.println("herdctl: cannot write the service token to " + tokenFile + " (" + e.getMessage()
                    + "); herdctl commands need HERDCTL_SERVICE_TOKEN to trigger, stop or resume");
        }
        JobWatcher watcher = new JobWatcher(stack.bootstrapServers(), System.out);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nherdctl: stopping (services, then the broker, then any leftover container)");
            watcher.close();
            stack.close();
            ServiceTokens.removeIfOurs(tokenFile, stack.serviceToken());
            System.out.println("herdctl: stopped");
            stopped.countDown();
        }, "herdctl-shutdown"));

        System.out.printf("""
                herdctl: ready in %.1f s
                  dashboard   %s/
                  api         %s/api/agents
                  kafka       %s
                  job logs    %s
                  logs        %s
                  token       %s (asked of triggers and the kill switch; herdctl commands read it)
                Press Ctrl-C to stop.
                %n""", seconds, stack.url(StackOptions.Service.DASHBOARD), stack.url(StackOptions.Service.DASHBOARD),
                stack.bootstrapServers(), options.jobsDir(), options.logDir(), tokenFile);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int parsePort(String value) {
        try {
            int port = Integer.parseInt(value);
            if (port > 0 && port < 65536) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--port " + value + " is not a port number");
    }
}
