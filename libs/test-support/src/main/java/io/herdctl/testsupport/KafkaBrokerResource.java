package io.herdctl.testsupport;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Quarkus test resource: a fresh in-process broker with the project's topics for
 * each application the tests start, so test classes never share broker state.
 * Use with {@code @QuarkusTestResource(KafkaBrokerResource.class)}.
 */
public class KafkaBrokerResource implements QuarkusTestResourceLifecycleManager {

    private EmbeddedKafkaBroker broker;

    @Override
    public Map<String, String> start() {
        broker = EmbeddedKafkaBroker.startEphemeral().createProjectTopics();
        return Map.of("kafka.bootstrap.servers", broker.bootstrapServers());
    }

    /** The running broker, for subclasses that put records on topics before the application starts. */
    protected EmbeddedKafkaBroker broker() {
        return broker;
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(broker, new TestInjector.MatchesType(EmbeddedKafkaBroker.class));
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
        }
    }
}
