package io.herdctl.runner.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.herdctl.events.EventJson;
import io.herdctl.events.JobRequested;
import io.herdctl.runner.service.JobRunner;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Takes job requests from the shared consumer group: the partitions (agents)
 * are spread over the runner replicas. Jobs run on a bounded worker pool, out of
 * order, and a request is acknowledged only once its job has a terminal status.
 */
@ApplicationScoped
public class JobRequestListener {

    public static final String CHANNEL = "job-requests";

    private final JobRunner runner;

    public JobRequestListener(JobRunner runner) {
        this.runner = runner;
    }

    @Incoming(CHANNEL)
    @Blocking(value = "job-workers", ordered = false)
    public void onJobRequested(ConsumerRecord<String, String> record) {
        runner.run(EventJson.read(record.value(), JobRequested.class));
    }
}
