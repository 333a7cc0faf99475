package io.herdctl.dashboard.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.herdctl.dashboard.domain.FleetView;
import io.herdctl.events.AgentSpecResolved;
import io.herdctl.events.OcsfFinding;
import io.herdctl.events.EventJson;
import io.herdctl.events.JobCancelRequested;
import io.herdctl.events.JobOutputEmitted;
import io.herdctl.events.JobRequested;
import io.herdctl.events.JobStatusChanged;

/** Feeds the read model from the topics; a record that does not parse goes to the dead-letter topic. */
@ApplicationScoped
public class TopicListener {

    public static final String AGENTS = "agents";
    public static final String JOB_REQUESTS = "job-requests";
    public static final String JOB_STATUS = "job-status";
    public static final String JOB_OUTPUT = "job-output";
    public static final String ALERTS = "alerts";
    public static final String JOB_CONTROL = "job-control";

    private final FleetView view;

    public TopicListener(FleetView view) {
        this.view = view;
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
        view.jobStatusChanged(EventJson.read(record.value(), JobStatusChanged.class));
    }

    @Incoming(JOB_OUTPUT)
    public void onOutput(ConsumerRecord<String, String> record) {
        view.outputEmitted(EventJson.read(record.value(), JobOutputEmitted.class));
    }

    /** Every replica reads every cancel request, so each shows it whichever one took it. */
    @Incoming(JOB_CONTROL)
    public void onJobControl(ConsumerRecord<String, String> record) {
        view.cancelRequested(EventJson.read(record.value(), JobCancelRequested.class));
    }

    @Incoming(ALERTS)
    public void onAlert(ConsumerRecord<String, String> record) {
        view.alertRaised(OcsfFinding.read(record.value()));
    }
}
