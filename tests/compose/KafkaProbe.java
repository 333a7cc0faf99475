import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What a local user can do on the Compose stack's Kafka port on the host (tests/compose/run.sh):
 * prints the topics it sees, then "request: refused" or "request: accepted" for a job request it
 * tries to produce. Run with the launcher's libraries on the class path:
 *   java -cp 'launcher/target/lib/*' tests/compose/KafkaProbe.java 127.0.0.1:19094
 */
public class KafkaProbe {
    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            System.out.println("topics: " + new java.util.TreeSet<>(admin.listTopics().names().get(15, TimeUnit.SECONDS)));
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap,
                "max.block.ms", "10000", "delivery.timeout.ms", "12000", "request.timeout.ms", "5000"),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("herdctl.job-requests.v1", "prober", "{}")).get(15, TimeUnit.SECONDS);
            System.out.println("request: accepted");
        } catch (ExecutionException e) {
            System.out.println(e.getCause() instanceof AuthorizationException ? "request: refused"
                    : "request: failed " + e.getCause());
        }
    }
}
