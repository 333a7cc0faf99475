package io.herdctl.runner.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class RequestPartitionsTest {

    private static List<TopicPartition> partitions(int... numbers) {
        return java.util.Arrays.stream(numbers).mapToObj(n -> new TopicPartition("herdctl.job-requests.v1", n)).toList();
    }

    @Test
    void followsTheCooperativeRoundsOfAGroupThatGrowsAndShrinks() {
        RequestPartitions held = new RequestPartitions();
        held.onPartitionsAssigned(null, partitions(0, 1, 2, 3, 4, 5));
        assertEquals(List.of(0, 1, 2, 3, 4, 5), held.held());

        // A second replica joins: this one gives up half, then a round with nothing moved.
        held.onPartitionsRevoked(null, partitions(3, 4, 5));
        held.onPartitionsAssigned(null, partitions());
        assertEquals(List.of(0, 1, 2), held.held());

        // The other replica leaves: its half comes back.
        held.onPartitionsAssigned(null, partitions(5, 3, 4));
        assertEquals(List.of(0, 1, 2, 3, 4, 5), held.held());

        held.onPartitionsLost(null, partitions(0, 1, 2, 3, 4, 5));
        assertEquals(List.of(), held.held());
    }
}
