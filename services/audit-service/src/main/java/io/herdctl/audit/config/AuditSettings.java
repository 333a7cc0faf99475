package io.herdctl.audit.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where the job record is kept, which rules watch it, and how long it is kept. */
@ConfigMapping(prefix = "herdctl.audit")
public interface AuditSettings {

    /** herdctl's state directory; job logs go to {@code <state-dir>/jobs/<jobId>.jsonl}. */
    @WithDefault(".herdctl")
    Path stateDir();

    /** A rules file that replaces the shipped detection rules. */
    Optional<Path> rulesFile();

    /** A rules file whose rules are added to the shipped (or replaced) ones. */
    Optional<Path> extraRulesFile();

    /** How long a line that arrived ahead of its turn waits for the lines before it. */
    @WithDefault("5s")
    Duration reorderWindow();

    /** How many lines of one job may wait for an earlier line before they are written anyway. */
    @WithDefault("10000")
    int reorderMaxHeld();

    /**
     * How long after a job's end its last lines may still arrive; lines still
     * missing then are marked in the log and raise an {@code output-gap} alert.
     */
    @WithDefault("60s")
    Duration tailWait();

    Retention retention();

    /**
     * The egress proxy's access log (one JSON object per request, as the Compose stack's Squid writes it), followed
     * for refusals, which become {@code egress-denied} alerts. Unset: egress is not watched.
     */
    Optional<Path> proxyLog();

    /** How often the proxy log is checked for new lines. */
    @WithDefault("500ms")
    Duration proxyLogPollInterval();

    /**
     * How long a refusal whose client address matches no job waits for the job's {@code running} status (the proxy
     * may log a request before that status has been read) before it is raised as unattributed.
     */
    @WithDefault("5s")
    Duration proxyLogGrace();

    /** Finished jobs' records (log, metadata, alerts) removed when old or when the whole record is too large. */
    interface Retention {

        /** Finished jobs that started longer ago than this are removed (unset: kept however old). */
        Optional<Duration> maxAge();

        /** The oldest finished jobs are removed while logs, metadata and alerts together exceed this (unset: no cap). */
        Optional<MemorySize> maxTotalSize();

        /** How often retention runs (it also runs once at start). */
        @WithDefault("10m")
        Duration checkEvery();
    }
}
