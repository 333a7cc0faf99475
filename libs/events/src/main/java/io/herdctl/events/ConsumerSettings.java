package io.herdctl.events;

import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Settings for the plain Kafka consumers services run beside their messaging
 * channels (views read whole, leadership): the service's {@code kafka.*}
 * settings, string keys and values, offsets never committed.
 */
public final class ConsumerSettings {

    private ConsumerSettings() {
    }

    /**
     * @param kafka   the service's Kafka settings (Quarkus: the {@code default-kafka-broker} map)
     * @param groupId a consumer group, or null for a consumer that assigns partitions itself
     */
    public static Properties of(Map<String, Object> kafka, String clientId, String groupId) {
        Properties p = new Properties();
        p.putAll(kafka);
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        if (groupId != null) {
            p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return p;
    }
}
