package io.herdctl.runner.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How this runner runs jobs. */
@ConfigMapping(prefix = "herdctl.runner")
public interface RunnerSettings {

    /** This runner's name in status events and container labels (a random suffix is added per start); host name when unset. */
    Optional<String> id();

    /** Docker engine address. */
    @WithDefault("unix:///var/run/docker.sock")
    String dockerHost();

    /** Jobs this replica runs at once; more runners scale further. */
    @WithDefault("4")
    int maxParallelJobs();

    /** Process limit for containers whose agent sets no {@code pids_limit}. */
    @WithDefault("256")
    long defaultPidsLimit();

    /** Size of the writable /tmp and home tmpfs mounts of a job container. */
    @WithDefault("512m")
    String tmpfsSize();

    /**
     * The {@code uid:gid} jobs run as when the fleet sets no {@code docker.user}.
     * Unset: the runner's own uid:gid, or 1000:1000 when the runner is root.
     */
    Optional<String> defaultUser();

    /** An env file (the fleet's .env) for resolving ${VAR} in docker.env; the process environment wins. */
    Optional<Path> envFile();

    /** Extra label {@code io.herdctl.stack=<value>} on every container, so a launcher can find its own. */
    Optional<String> stackLabel();

    /** How long a container gets to stop after SIGTERM before it is killed, on shutdown. */
    @WithDefault("10s")
    Duration stopGracePeriod();

    /** How long a cancelled or timed-out job gets after SIGTERM before SIGKILL. */
    @WithDefault("1s")
    Duration cancelGracePeriod();

    /** On shutdown: how long running jobs may go on before they are cancelled. New jobs are not taken meanwhile. */
    @WithDefault("30s")
    Duration drainTimeout();

    /** How often this runner says it is alive, and what it holds. */
    @WithDefault("2s")
    Duration heartbeatInterval();

    /** A runner not heard from for this long is lost: its jobs end as failed and its containers are removed. */
    @WithDefault("10s")
    Duration lostAfter();

    /** How far back job statuses and cancels are read at start, to recognise a job that already ran. */
    @WithDefault("24h")
    Duration statusLookback();

    /** Where the runner keeps each agent's Claude session directory (sessions/<agent>). */
    @WithDefault(".herdctl")
    Path stateDir();

    /** The Claude Code executable for host-process jobs ({@code docker.enabled: false}): a path or a name on PATH. */
    @WithDefault("claude")
    String claudeCommand();

    /**
     * Whether agents with {@code docker.enabled: false} may run as host processes
     * (the original's default). Off: such jobs fail with the reason.
     */
    @WithDefault("true")
    boolean hostProcesses();
}
