package io.herdctl.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.herdctl.events.EventJson;
import io.herdctl.events.JobOutputEmitted;
import io.herdctl.events.JobStatus;
import io.herdctl.events.JobStatusChanged;
import io.herdctl.events.Topics;

/**
 * Follows the job-status and job-output topics from their end (what was there
 * before it started is not read) and keeps, per job, what the benchmarks time:
 * each status with the moment this process received it, the first output line,
 * and which output sequence numbers arrived (to find gaps and duplicates).
 * Receive times are {@link System#nanoTime()}, comparable with a publish time
 * taken the same way.
 */
final class JobTail implements AutoCloseable {

    private final KafkaConsumer<String, String> consumer;
    private final Map<String, Trace> traces = new HashMap<>();

    JobTail(String bootstrapServers) {
        consumer = consumer(bootstrapServers, false, Topics.JOB_STATUS, Topics.JOB_OUTPUT);
    }

    /**
     * A consumer with a group id of its own (nothing committed) assigned every
     * partition of the topics, at their beginning or at their end; the position is
     * settled before this returns, so a record sent afterwards is seen.
     */
    static KafkaConsumer<String, String> consumer(String bootstrapServers, boolean fromBeginning, String... topics) {
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        if (fromBeginning) {
            consumer.seekToBeginning(partitions);
        } else {
            consumer.seekToEnd(partitions);
        }
        partitions.forEach(consumer::position);
        return consumer;
    }

    /** What has been seen of one job (created on first ask, so a job can be looked at before anything arrived). */
    Trace trace(String jobId) {
        return traces.computeIfAbsent(jobId, Trace::new);
    }

    /** Polls until {@code done} holds; fails after {@code timeout} with {@code what} in the message. */
    void until(BooleanSupplier done, Duration timeout, Supplier<String> what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not within " + timeout + ": " + what.get());
            }
            poll(Duration.ofMillis(50));
        }
    }

    /** Polls until the job has a terminal status; fails if that is not {@code completed}. */
    Trace awaitCompleted(String jobId, Duration timeout) {
        Trace t = trace(jobId);
        until(() -> t.terminal != null, timeout, () -> "job " + jobId + " did not finish (" + t.statuses.keySet() + ")");
        t.requireCompleted();
        return t;
    }

    private void poll(Duration timeout) {
        for (ConsumerRecord<String, String> r : consumer.poll(timeout)) {
            long received = System.nanoTime();
            if (r.topic().equals(Topics.JOB_OUTPUT)) {
                JobOutputEmitted line = EventJson.read(r.value(), JobOutputEmitted.class);
                trace(line.jobId()).output(line, received, r.timestamp());
            } else {
                JobStatusChanged s = EventJson.read(r.value(), JobStatusChanged.class);
                trace(s.jobId()).status(s, received);
            }
        }
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }

    /** One job as seen on the topics. */
    static final class Trace {
        final String jobId;
        final Map<JobStatus, JobStatusChanged> statuses = new EnumMap<>(JobStatus.class);
        final Map<JobStatus, Long> received = new EnumMap<>(JobStatus.class);
        JobStatusChanged terminal;
        JobOutputEmitted firstOutput;
        long firstOutputReceived;
        long lastOutputReceived;
        /** The record timestamp of the last output event (when the runner's producer created it), epoch ms. */
        long lastOutputCreated;
        /** How long after {@link #lastOutputCreated} this process received it, in ms (same machine, same clock). */
        long lastOutputTransitMillis;
        long outputRecords;
        long duplicates;
        long maxSeq;
        private final BitSet seqs = new BitSet();

        Trace(String jobId) {
            this.jobId = jobId;
        }

        private void status(JobStatusChanged s, long at) {
            statuses.putIfAbsent(s.status(), s);
            received.putIfAbsent(s.status(), at);
            if (s.status().isTerminal() && terminal == null) {
                terminal = s;
            }
        }

        private void output(JobOutputEmitted line, long at, long createdMillis) {
            if (line.seq() == 1 && firstOutput == null) {
                firstOutput = line;
                firstOutputReceived = at;
            }
            outputRecords++;
            lastOutputReceived = at;
            lastOutputCreated = createdMillis;
            lastOutputTransitMillis = System.currentTimeMillis() - createdMillis;
            maxSeq = Math.max(maxSeq, line.seq());
            if (line.seq() > Integer.MAX_VALUE || seqs.get((int) line.seq())) {
                duplicates++;
            } else {
                seqs.set((int) line.seq());
            }
        }

        /** Distinct sequence numbers received. */
        long distinctLines() {
            return seqs.cardinality();
        }

        /** Sequence numbers below the highest one seen that never arrived. */
        long gaps() {
            return maxSeq - distinctLines();
        }

        /** When this process received the given status; fails if it has not. */
        long receivedAt(JobStatus status) {
            Long at = received.get(status);
            if (at == null) {
                throw new IllegalStateException("job " + jobId + " has no " + status.wire() + " status (seen: "
                        + statuses.keySet() + ")");
            }
            return at;
        }

        void requireCompleted() {
            if (terminal == null || terminal.status() != JobStatus.COMPLETED) {
                throw new IllegalStateException("job " + jobId + " ended "
                        + (terminal == null ? "not at all" : terminal.status().wire() + ": " + terminal.error()));
            }
        }
    }
}
