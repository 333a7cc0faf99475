package io.herdctl.dashboard.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.herdctl.dashboard.domain.FleetView;
import io.herdctl.events.AgentSpecResolved;
import io.herdctl.events.OcsfFinding;
import io.herdctl.events.EventJson;
import io.herdctl.events.JobCancelRequested;
import io.herdctl.dashboard.live.LiveOutput;
import io.herdctl.events.AuditAlertRaised;
import io.herdctl.events.FleetRevisionEvaluated;
import io.herdctl.events.JobLogAppended;
import io.herdctl.events.JobRequested;
import io.herdctl.events.JobStatusChanged;

/** Feeds the read model from the topics; a record that does not parse goes to the dead-letter topic. */
@ApplicationScoped
public class TopicListener {

    public static final String AGENTS = "agents";
    public static final String JOB_REQUESTS = "job-requests";
    public static final String JOB_STATUS = "job-status";
    public static final String JOB_LOG = "job-log";
    public static final String REVISIONS = "fleet-revisions";
    public static final String ALERTS = "alerts";
    public static final String JOB_CONTROL = "job-control";

    private final FleetView view;
    private final LiveOutput live;

    public TopicListener(FleetView view, LiveOutput live) {
        this.view = view;
        this.live = live;
    }

    @Incoming(AGENTS)
    public void onAgent(ConsumerRecord<String, String> record) {
        if (record.value() == null) {
            if (record.key() != null) {
                view.agentRemoved(record.key());
            }
            return;
        }
        view.agentResolved(EventJson.read(record.value(), AgentSpecResolved.class).spec());
    }

    @Incoming(JOB_REQUESTS)
    public void onJobRequested(ConsumerRecord<String, String> record) {
        view.jobRequested(EventJson.read(record.value(), JobRequested.class));
    }

    @Incoming(JOB_STATUS)
    public void onJobStatus(ConsumerRecord<String, String> record) {
        JobStatusChanged status = EventJson.read(record.value(), JobStatusChanged.class);
        view.jobStatusChanged(status);
        live.statusChanged(status);
    }

    /** The stored log, read from the newest record on: what came before is read from audit-service. */
    @Incoming(JOB_LOG)
    public void onLogLine(ConsumerRecord<String, String> record) {
        live.appended(EventJson.read(record.value(), JobLogAppended.class));
    }

    @Incoming(REVISIONS)
    public void onRevision(ConsumerRecord<String, String> record) {
        view.revisionEvaluated(EventJson.read(record.value(), FleetRevisionEvaluated.class));
    }

    /** Every replica reads every cancel request, so each shows it whichever one took it. */
    @Incoming(JOB_CONTROL)
    public void onJobControl(ConsumerRecord<String, String> record) {
        view.cancelRequested(EventJson.read(record.value(), JobCancelRequested.class));
    }

    @Incoming(ALERTS)
    public void onAlert(ConsumerRecord<String, String> record) {
        AuditAlertRaised alert = OcsfFinding.read(record.value());
        view.alertRaised(alert);
        live.alertRaised(alert);
    }
}
