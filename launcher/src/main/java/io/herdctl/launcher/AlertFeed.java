package io.herdctl.launcher;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.fasterxml.jackson.databind.JsonNode;

import io.herdctl.events.EventJson;
import io.herdctl.events.Severity;
import io.herdctl.events.Topics;

/**
 * {@code ./herdctl alerts --follow}: the alerts topic as a stream of OCSF
 * Detection Findings, one JSON document per line on stdout, for a SIEM shipper
 * to read from a pipe. It is a plain Kafka consumer, so it is also the worked
 * example of the settings a SIEM's own Kafka input needs. With {@code --group}
 * it commits what it has printed and a restart resumes there (at least once:
 * a finding may be printed twice after a crash; {@code metadata.uid} is the
 * alert's id, stable across repeats, for the SIEM to drop duplicates). Without
 * it, it starts at the end (or the beginning, with {@code --from-beginning})
 * and commits nothing.
 */
final class AlertFeed {

    static final String USAGE = "herdctl alerts --follow [--from-beginning] [--group G] [--severity S] [--max N]";

    private AlertFeed() {
    }

    static int run(Deque<String> args, PrintStream out, PrintStream err) {
        String bootstrap = System.getenv().getOrDefault("HERDCTL_KAFKA", "127.0.0.1:19092");
        String group = null;
        boolean fromBeginning = false;
        Severity least = null;
        long max = Long.MAX_VALUE;
        while (!args.isEmpty()) {
            String a = args.pop();
            switch (a) {
                case "--follow", "-f" -> {
                }
                case "--from-beginning" -> fromBeginning = true;
                case "--group" -> group = Client.value(a, args);
                case "--severity" -> least = Severity.fromWire(Client.value(a, args));
                case "--max" -> max = Long.parseLong(Client.value(a, args));
                case "--bootstrap-server" -> bootstrap = Client.value(a, args);
                default -> throw new IllegalArgumentException("unknown argument " + a + "; usage: " + USAGE);
            }
        }
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromBeginning ? "earliest" : "latest");
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "herdctl-alerts-feed");
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        if (group != null) {
            config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        long printed = 0;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer())) {
            Thread main = Thread.currentThread();
            Thread stop = new Thread(() -> {
                consumer.wakeup();
                try {
                    main.join(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Runtime.getRuntime().addShutdownHook(stop);
            if (group != null) {
                consumer.subscribe(List.of(Topics.ALERTS));
            } else {
                List<TopicPartition> partitions = new ArrayList<>();
                consumer.partitionsFor(Topics.ALERTS).forEach(p -> partitions.add(new TopicPartition(p.topic(),
                        p.partition())));
                consumer.assign(partitions);
                if (fromBeginning) {
                    consumer.seekToBeginning(partitions);
                } else {
                    consumer.seekToEnd(partitions);
                }
            }
            while (printed < max) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofSeconds(1))) {
                    if (printed < max && atLeast(r.value(), least)) {
                        out.println(r.value());
                        printed++;
                    }
                }
                out.flush();
                if (group != null) {
                    consumer.commitSync();
                }
            }
            Runtime.getRuntime().removeShutdownHook(stop);
        } catch (WakeupException e) {
            // stopped by a signal: what was printed is committed up to the last full poll
        } catch (org.apache.kafka.common.KafkaException e) {
            err.println("herdctl: cannot read " + Topics.ALERTS + " from " + bootstrap + ": " + e.getMessage()
                    + " (is the stack running? set HERDCTL_KAFKA to its broker)");
            return Client.USAGE;
        }
        return Client.OK;
    }

    private static boolean atLeast(String finding, Severity least) {
        if (least == null) {
            return true;
        }
        try {
            JsonNode doc = EventJson.mapper().readTree(finding);
            return doc.path("severity_id").asInt(0) >= least.ordinal() + 1;
        } catch (java.io.IOException e) {
            return true; // not ours to judge: pass it on
        }
    }
}
