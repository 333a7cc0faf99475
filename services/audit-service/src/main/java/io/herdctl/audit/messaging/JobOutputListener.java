package io.herdctl.audit.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.herdctl.audit.config.AuditSettings;
import io.herdctl.audit.domain.DetectionRules;
import io.herdctl.audit.domain.JobLogWriter;
import io.herdctl.events.AuditAlertRaised;
import io.herdctl.events.EventJson;
import io.herdctl.events.JobOutputEmitted;
import io.herdctl.events.KeyedSend;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.Record;

/**
 * Writes each output line to its job's log and raises alerts for it. Alerts are
 * on the broker before the line is written, and the record is acknowledged only
 * after: a crash between the two redelivers the line, which then raises the same
 * alerts again (same ids) and is written once.
 */
@ApplicationScoped
public class JobOutputListener {

    public static final String OUTPUT_CHANNEL = "job-output";
    public static final String ALERTS_CHANNEL = "alerts";
    private static final Logger LOG = Logger.getLogger(JobOutputListener.class);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final JobLogWriter writer;
    private final DetectionRules rules;
    private final Emitter<Record<String, AuditAlertRaised>> alerts;

    public JobOutputListener(AuditSettings settings,
            @Channel(ALERTS_CHANNEL) Emitter<Record<String, AuditAlertRaised>> alerts) {
        this.writer = new JobLogWriter(settings.stateDir().resolve("jobs"));
        this.alerts = alerts;
        this.rules = new DetectionRules(loadRules(settings));
        LOG.infof("%d detection rules loaded", rules.rules().size());
    }

    @Incoming(OUTPUT_CHANNEL)
    @Blocking
    public void onOutput(ConsumerRecord<String, String> record) {
        JobOutputEmitted line = EventJson.read(record.value(), JobOutputEmitted.class);
        long last = writer.lastWritten(line.jobId());
        if (line.seq() <= last) {
            return;
        }
        List<AuditAlertRaised> raised = new ArrayList<>(rules.evaluate(line));
        if (line.seq() > last + 1) {
            raised.add(DetectionRules.gap(line, last + 1));
            LOG.errorf("job %s: output lines %d to %d never arrived; the log marks them missing", line.jobId(), last + 1,
                    line.seq() - 1);
        }
        publish(raised);
        writer.append(line);
    }

    /** The shipped rules (or the replacement file) plus the extra file; a bad file stops the service with the reason. */
    static List<DetectionRules.Rule> loadRules(AuditSettings settings) {
        List<DetectionRules.Rule> all = new ArrayList<>(settings.rulesFile().map(JobOutputListener::read)
                .orElseGet(DetectionRules::shipped));
        settings.extraRulesFile().ifPresent(extra -> all.addAll(read(extra)));
        return all;
    }

    private static List<DetectionRules.Rule> read(java.nio.file.Path file) {
        try (var in = java.nio.file.Files.newInputStream(file)) {
            return DetectionRules.parse(in, file.toString());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read the rules file " + file + ": " + e.getMessage(), e);
        }
    }

    private void publish(List<AuditAlertRaised> raised) {
        if (raised.isEmpty()) {
            return;
        }
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        for (AuditAlertRaised alert : raised) {
            acks.add(KeyedSend.send(alerts, alert.jobId(), alert));
            LOG.infof("alert %s (%s) on job %s line %d", alert.ruleId(), alert.severity().wire(), alert.jobId(), alert.seq());
        }
        KeyedSend.awaitAll(acks, SEND_TIMEOUT, "alerts");
    }
}
