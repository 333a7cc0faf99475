package io.herdctl.scheduler.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.herdctl.events.AgentSpecResolved;
import io.herdctl.events.EventJson;
import io.herdctl.events.JobRequested;
import io.herdctl.events.JobStatusChanged;
import io.herdctl.scheduler.domain.AgentDirectory;
import io.herdctl.scheduler.domain.JobLedger;

/**
 * Builds the scheduler's view from the topics: the agents (compacted, read
 * whole at start), and the jobs requested and finished by anyone. A record that
 * does not parse fails here and goes to the dead-letter topic.
 */
@ApplicationScoped
public class FleetListener {

    public static final String AGENTS = "agents";
    public static final String JOB_REQUESTS = "job-requests-in";
    public static final String JOB_STATUS = "job-status";

    private static final Logger LOG = Logger.getLogger(FleetListener.class);

    private final AgentDirectory agents;
    private final JobLedger ledger;

    public FleetListener(AgentDirectory agents, JobLedger ledger) {
        this.agents = agents;
        this.ledger = ledger;
    }

    @Incoming(AGENTS)
    public void onAgent(ConsumerRecord<String, String> record) {
        if (record.value() == null) {
            if (record.key() != null) {
                agents.remove(record.key());
                LOG.infof("agent %s removed from the fleet", record.key());
            }
            return;
        }
        AgentSpecResolved event = EventJson.read(record.value(), AgentSpecResolved.class);
        agents.put(event.spec());
    }

    @Incoming(JOB_REQUESTS)
    public void onJobRequested(ConsumerRecord<String, String> record) {
        JobRequested event = EventJson.read(record.value(), JobRequested.class);
        ledger.requested(event.agent(), event.jobId(), event.triggerType() == io.herdctl.events.TriggerType.SCHEDULE ? event.schedule() : null);
    }

    @Incoming(JOB_STATUS)
    public void onJobStatus(ConsumerRecord<String, String> record) {
        JobStatusChanged event = EventJson.read(record.value(), JobStatusChanged.class);
        ledger.statusChanged(event.agent(), event.jobId(), event.status());
    }
}
