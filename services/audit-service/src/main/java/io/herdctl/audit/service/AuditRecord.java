package io.herdctl.audit.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.herdctl.audit.config.AuditSettings;
import io.herdctl.audit.domain.AlertStore;
import io.herdctl.audit.domain.DetectionRules;
import io.herdctl.audit.domain.JobAddresses;
import io.herdctl.audit.domain.JobContexts;
import io.herdctl.audit.domain.JobIndex;
import io.herdctl.audit.domain.JobLogWriter;
import io.herdctl.audit.domain.JobMetadataWriter;
import io.herdctl.audit.domain.Retention;
import io.herdctl.events.JobStatusChanged;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * The job record under the state directory and what is derived from it: the
 * logs, the metadata, the alerts, the rules that watch the lines, the index the
 * API reads (rebuilt from the files at start), and the jobs' container addresses
 * (read back from their journal). Retention runs here.
 */
@ApplicationScoped
public class AuditRecord {

    private static final Logger LOG = Logger.getLogger(AuditRecord.class);

    private final DetectionRules rules;
    private final JobLogWriter logs;
    private final JobMetadataWriter metadata;
    private final JobIndex index;
    private final AlertStore alerts;
    private final JobContexts contexts = new JobContexts();
    private final JobAddresses addresses;
    private final Retention retention;
    private final Duration tailWait;
    private final Map<String, Tail> tails = new ConcurrentHashMap<>();
    private volatile boolean indexed;

    /** A finished job whose log must reach {@code lines} lines by {@code deadline}. */
    public record Tail(String jobId, String agent, long lines, Instant deadline) {
    }

    public AuditRecord(AuditSettings settings) {
        Path jobs = settings.stateDir().resolve("jobs");
        this.rules = new DetectionRules(loadRules(settings));
        this.logs = new JobLogWriter(jobs);
        this.index = new JobIndex(jobs);
        this.metadata = new JobMetadataWriter(jobs, rules::redact, index::put);
        this.alerts = new AlertStore(settings.stateDir().resolve("alerts"));
        this.addresses = new JobAddresses(settings.stateDir().resolve("egress").resolve("addresses.jsonl"));
        this.tailWait = settings.tailWait();
        this.retention = new Retention(index, alerts, logs, metadata, settings.retention().maxAge().orElse(null),
                settings.retention().maxTotalSize().map(size -> size.asLongValue()).orElse(null));
        LOG.infof("%d detection rules loaded", rules.rules().size());
    }

    void onStart(@Observes StartupEvent start) {
        rebuild();
        sweep();
    }

    /** Reads the index and the alerts again from the files. */
    public void rebuild() {
        indexed = false;
        index.rebuild();
        int n = alerts.rebuild();
        LOG.infof("%d alerts read back", n);
        addresses.load();
        Instant now = Instant.now();
        for (JobIndex.Row row : index.recentlyFinished(now.minus(Duration.ofHours(1)))) {
            if (row.outputLines() != null) {
                tails.put(row.id(), new Tail(row.id(), row.agent(), row.outputLines(), now.plus(tailWait)));
            }
        }
        indexed = true;
    }

    /** Notes how many lines a finished job wrote, so lines that never arrive are marked once the wait is over. */
    public void jobEnded(JobStatusChanged s) {
        if (s.status().isTerminal() && s.outputLines() != null) {
            tails.put(s.jobId(), new Tail(s.jobId(), s.agent(), s.outputLines(), Instant.now().plus(tailWait)));
        }
    }

    /** Finished jobs whose logs are still short of their line count. */
    public Map<String, Tail> tails() {
        return tails;
    }

    @Scheduled(every = "{herdctl.audit.retention.check-every}", delayed = "{herdctl.audit.retention.check-every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        if (!retention.enabled()) {
            return;
        }
        Retention.Sweep s = retention.sweep(Instant.now());
        if (s.jobs() > 0) {
            LOG.infof("retention removed %d finished jobs (%d bytes); the record now takes %d bytes", s.jobs(),
                    s.bytesFreed(), s.bytesKept());
        }
    }

    public boolean indexed() {
        return indexed;
    }

    public DetectionRules rules() {
        return rules;
    }

    public JobLogWriter logs() {
        return logs;
    }

    public JobMetadataWriter metadata() {
        return metadata;
    }

    public JobIndex index() {
        return index;
    }

    public AlertStore alerts() {
        return alerts;
    }

    public JobContexts contexts() {
        return contexts;
    }

    /** Which job had which container address when: attributes the egress proxy's refusals. */
    public JobAddresses addresses() {
        return addresses;
    }

    public Retention retention() {
        return retention;
    }

    /** The shipped rules (or the replacement file) plus the extra file; a bad file stops the service with the reason. */
    static List<DetectionRules.Rule> loadRules(AuditSettings settings) {
        List<DetectionRules.Rule> all = new ArrayList<>(settings.rulesFile().map(AuditRecord::read)
                .orElseGet(DetectionRules::shipped));
        settings.extraRulesFile().ifPresent(extra -> all.addAll(read(extra)));
        return all;
    }

    private static List<DetectionRules.Rule> read(Path file) {
        try (var in = Files.newInputStream(file)) {
            return DetectionRules.parse(in, file.toString());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the rules file " + file + ": " + e.getMessage(), e);
        }
    }
}
