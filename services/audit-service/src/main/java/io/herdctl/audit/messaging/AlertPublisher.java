package io.herdctl.audit.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.jboss.logging.Logger;

import io.herdctl.audit.service.AuditRecord;
import io.herdctl.events.AuditAlertRaised;
import io.herdctl.events.KeyedSend;
import io.herdctl.events.OcsfFinding;
import io.herdctl.events.Topics;
import io.smallrye.reactive.messaging.kafka.Record;

/**
 * Raises alerts, whatever found them (the rules on a job's lines, the log's gaps,
 * the egress proxy's refusals): each goes to the alerts topic as an OCSF
 * Detection Finding keyed by its job, and only once the broker has them all into
 * the alert store, so the API never shows an alert the SIEM did not get. A
 * failure throws and the caller retries: the ids are stable, so what the broker
 * took twice is dropped by id downstream and kept once here.
 */
@ApplicationScoped
public class AlertPublisher {

    public static final String ALERTS_CHANNEL = "alerts";
    private static final Logger LOG = Logger.getLogger(AlertPublisher.class);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final AuditRecord record;
    private final Emitter<Record<String, String>> alerts;

    public AlertPublisher(AuditRecord record, @Channel(ALERTS_CHANNEL) Emitter<Record<String, String>> alerts) {
        this.record = record;
        this.alerts = alerts;
    }

    /** Alerts on a job's output lines: {@link #publish(List, String, String)} from {@link Topics#JOB_OUTPUT}. */
    public void publish(List<AuditAlertRaised> raised, String lineType) {
        publish(raised, lineType, Topics.JOB_OUTPUT);
    }

    /**
     * Publishes the alerts and waits for the broker, then stores them. {@code lineType}
     * is the OCSF evidence's line type, {@code dataSource} what they were read from (a
     * topic, or the proxy's log); the container and runner come from the job's status.
     */
    public void publish(List<AuditAlertRaised> raised, String lineType, String dataSource) {
        if (raised.isEmpty()) {
            return;
        }
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        List<String> documents = new ArrayList<>();
        for (AuditAlertRaised alert : raised) {
            String document = OcsfFinding.json(alert, record.contexts().of(alert.jobId(), lineType, dataSource));
            documents.add(document);
            acks.add(KeyedSend.send(alerts, alert.jobId(), document));
            LOG.infof("alert %s (%s) on job %s%s", alert.ruleId(), alert.severity().wire(), alert.jobId(),
                    alert.seq() > 0 ? " line " + alert.seq() : "");
        }
        KeyedSend.awaitAll(acks, SEND_TIMEOUT, "alerts");
        for (int i = 0; i < raised.size(); i++) {
            record.alerts().add(raised.get(i), documents.get(i));
        }
    }
}
