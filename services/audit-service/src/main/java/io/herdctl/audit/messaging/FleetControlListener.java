package io.herdctl.audit.messaging;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.herdctl.audit.config.AuditSettings;
import io.herdctl.audit.domain.FleetControlLog;
import io.herdctl.audit.service.AuditRecord;
import io.herdctl.events.AuditAlertRaised;
import io.herdctl.events.EventJson;
import io.herdctl.events.FleetControl;
import io.herdctl.events.Topics;
import io.smallrye.common.annotation.Blocking;

/**
 * Records every flip of the kill switch in {@code fleet-control.jsonl} and raises
 * it as an alert, before the record is acknowledged: a failure retries, and the
 * file and the alert store each keep a change once.
 */
@ApplicationScoped
public class FleetControlListener {

    public static final String CHANNEL = "fleet-control-in";
    private static final Logger LOG = Logger.getLogger(FleetControlListener.class);

    private final FleetControlLog log;
    private final AlertPublisher alerts;
    private final AuditRecord record;

    public FleetControlListener(AuditSettings settings, AlertPublisher alerts, AuditRecord record) {
        this.log = new FleetControlLog(settings.stateDir());
        this.alerts = alerts;
        this.record = record;
    }

    public FleetControlLog log() {
        return log;
    }

    @Incoming(CHANNEL)
    @Blocking
    public void onChange(ConsumerRecord<String, String> in) throws IOException {
        if (in.value() == null) {
            return;
        }
        FleetControl change = EventJson.read(in.value(), FleetControl.class);
        if (log.append(change)) {
            LOG.warnf("fleet %s by %s at %s%s", change.stopped() ? "STOPPED" : "resumed", change.changedBy(),
                    change.time(), change.reason() == null ? "" : " (" + change.reason() + ")");
        }
        AuditAlertRaised alert = FleetControlLog.alert(change, Instant.now());
        if (!record.alerts().contains(alert.eventId())) {
            alerts.publish(List.of(alert), "fleet-control", Topics.FLEET_CONTROL);
        }
    }
}
