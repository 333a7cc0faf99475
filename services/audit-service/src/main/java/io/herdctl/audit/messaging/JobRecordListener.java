package io.herdctl.audit.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.herdctl.audit.config.AuditSettings;
import io.herdctl.audit.domain.JobMetadataWriter;
import io.herdctl.events.EventJson;
import io.herdctl.events.JobRequested;
import io.herdctl.events.JobStatusChanged;

/**
 * Keeps {@code <jobId>.yaml} up to date from the job's request and status
 * changes. A record that does not parse, or whose job id is not herdctl's,
 * fails here and goes to the dead-letter topic; the stream goes on.
 */
@ApplicationScoped
public class JobRecordListener {

    public static final String STATUS_CHANNEL = "job-status-in";
    public static final String REQUESTS_CHANNEL = "job-requests-in";

    private final JobMetadataWriter metadata;

    public JobRecordListener(AuditSettings settings) {
        this.metadata = new JobMetadataWriter(settings.stateDir().resolve("jobs"));
    }

    @Incoming(STATUS_CHANNEL)
    public void onStatus(ConsumerRecord<String, String> record) {
        metadata.status(EventJson.read(record.value(), JobStatusChanged.class));
    }

    @Incoming(REQUESTS_CHANNEL)
    public void onRequest(ConsumerRecord<String, String> record) {
        metadata.requested(EventJson.read(record.value(), JobRequested.class));
    }
}
