package io.herdctl.runner.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How this runner runs jobs. */
@ConfigMapping(prefix = "herdctl.runner")
public interface RunnerSettings {

    /** This runner's name in status events and container labels; a random one when unset. */
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

    /** How long a container gets to stop after SIGTERM before it is killed. */
    @WithDefault("10s")
    Duration stopGracePeriod();
}
