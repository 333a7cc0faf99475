package io.herdctl.runner.messaging;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;

/**
 * Which partitions of the request topic this runner takes jobs from. Requests
 * are keyed by agent, so this says whose jobs land here; it changes when a
 * replica joins or leaves the group, and each change is logged with the set
 * held after it, the line an operator (or the Compose tests) reads to see that
 * a new replica has its share.
 */
@ApplicationScoped
@Identifier(RequestPartitions.NAME)
public class RequestPartitions implements KafkaConsumerRebalanceListener {

    /** The name {@code consumer-rebalance-listener.name} of the request channel refers to. */
    public static final String NAME = "job-requests-partitions";
    private static final Logger LOG = Logger.getLogger(RequestPartitions.class);

    private final Set<Integer> held = new TreeSet<>();

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        changed("took", partitions, true);
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        changed("gave up", partitions, false);
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        changed("lost", partitions, false);
    }

    /** The partitions held now, in order. */
    public synchronized List<Integer> held() {
        return List.copyOf(held);
    }

    private synchronized void changed(String what, Collection<TopicPartition> partitions, boolean added) {
        if (partitions.isEmpty()) {
            return; // the cooperative protocol reports every round, most of them with nothing moved
        }
        List<Integer> moved = partitions.stream().map(TopicPartition::partition).sorted().toList();
        if (added) {
            held.addAll(moved);
        } else {
            held.removeAll(moved);
        }
        LOG.infof("request partitions held: %s (%s %s)", held, what, moved);
    }
}
