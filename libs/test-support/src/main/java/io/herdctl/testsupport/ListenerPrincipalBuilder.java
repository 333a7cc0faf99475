package io.herdctl.testsupport;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.security.auth.AuthenticationContext;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.auth.KafkaPrincipalBuilder;
import org.apache.kafka.common.security.auth.KafkaPrincipalSerde;
import org.apache.kafka.common.security.authenticator.DefaultKafkaPrincipalBuilder;

/**
 * Names every client after the listener it came in on ({@code User:HOST},
 * {@code User:INTERNAL}), so the broker's authorizer can give each listener its own
 * rights without credentials: in the Compose deployment the services' listener is only
 * on the internal network and may do everything, while the listener published on the
 * host's loopback for a SIEM may only read the topics it is granted.
 */
public final class ListenerPrincipalBuilder implements KafkaPrincipalBuilder, KafkaPrincipalSerde {

    /** Kafka's own serde: the principal travels in forwarded requests from broker to controller. */
    private final DefaultKafkaPrincipalBuilder serde = new DefaultKafkaPrincipalBuilder(null, null);

    @Override
    public KafkaPrincipal build(AuthenticationContext context) {
        return new KafkaPrincipal(KafkaPrincipal.USER_TYPE, context.listenerName());
    }

    @Override
    public byte[] serialize(KafkaPrincipal principal) throws SerializationException {
        return serde.serialize(principal);
    }

    @Override
    public KafkaPrincipal deserialize(byte[] bytes) throws SerializationException {
        return serde.deserialize(bytes);
    }
}
