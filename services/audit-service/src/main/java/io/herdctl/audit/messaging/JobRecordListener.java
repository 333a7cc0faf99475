package io.herdctl.audit.messaging;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.herdctl.audit.domain.WorkspaceAlerts;
import io.herdctl.audit.service.AuditRecord;
import io.herdctl.events.EventJson;
import io.herdctl.events.JobRequested;
import io.herdctl.events.JobStatusChanged;
import io.herdctl.events.Topics;
import io.smallrye.common.annotation.Blocking;

/**
 * Keeps {@code <jobId>.yaml} and the job index up to date from the job's
 * request and status changes, and notes where each job runs. A record that does
 * not parse, or whose job id is not herdctl's, fails here and goes to the
 * dead-letter topic; the stream goes on. A {@code running} status with the
 * container's address opens the job's window in {@link io.herdctl.audit.domain.JobAddresses},
 * its terminal status closes it. A terminal status with the job's workspace changes
 * has them kept beside the metadata, and its sensitive files raised as alerts.
 */
@ApplicationScoped
public class JobRecordListener {

    public static final String STATUS_CHANNEL = "job-status-in";
    public static final String REQUESTS_CHANNEL = "job-requests-in";

    private final AuditRecord record;
    private final AlertPublisher alerts;

    public JobRecordListener(AuditRecord record, AlertPublisher alerts) {
        this.record = record;
        this.alerts = alerts;
    }

    @Incoming(STATUS_CHANNEL)
    @Blocking
    public void onStatus(ConsumerRecord<String, String> in) {
        JobStatusChanged status = EventJson.read(in.value(), JobStatusChanged.class);
        record.contexts().status(status);
        record.addresses().status(status);
        record.metadata().status(status);
        record.jobEnded(status);
        if (status.status().isTerminal() && status.workspace() != null) {
            workspace(status);
        }
    }

    /**
     * Keeps what the job changed in its workspace, then raises an alert for each
     * sensitive file among them. A status delivered again writes the same file and
     * raises the same alerts (same ids). When the broker does not take the alerts, the
     * status goes to the dead-letter topic; its metadata and workspace file are written by then.
     */
    private void workspace(JobStatusChanged status) {
        record.metadata().workspace(status.jobId(), status.workspace());
        Instant lineTime = status.finishedAt() != null ? status.finishedAt() : status.time();
        alerts.publish(WorkspaceAlerts.of(status.jobId(), status.agent(), status.workspace(), record.rules()::redact,
                lineTime, Instant.now()), WorkspaceAlerts.LINE_TYPE, Topics.JOB_STATUS);
    }

    @Incoming(REQUESTS_CHANNEL)
    @Blocking
    public void onRequest(ConsumerRecord<String, String> in) {
        record.metadata().requested(EventJson.read(in.value(), JobRequested.class));
    }
}
