package io.herdctl.scheduler.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class ServiceTokenUnitTest {

    static final String TOKEN = "0123456789abcdef0123456789abcdef";

    @Test
    void aShortTokenStopsTheServiceWithoutPrintingIt() {
        ServiceToken weak = new ServiceToken(Optional.of("changeme"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> weak.check(null));
        assertTrue(e.getMessage().contains("has 8 characters; use at least 32"), e.getMessage());
        assertFalse(e.getMessage().contains("changeme"), "the token is never echoed");
    }

    @Test
    void onlyTheBearerOfTheTokenIsAccepted() {
        ServiceToken token = new ServiceToken(Optional.of(" " + TOKEN + "\n"));
        token.check(null);
        assertTrue(token.required());
        assertTrue(token.accepts("Bearer " + TOKEN));
        assertTrue(token.accepts("bearer  " + TOKEN + " "));
        assertFalse(token.accepts(null));
        assertFalse(token.accepts(TOKEN));
        assertFalse(token.accepts("Basic " + TOKEN));
        assertFalse(token.accepts("Bearer " + TOKEN.substring(1)));
        assertFalse(token.accepts("Bearer"));

        ServiceToken none = new ServiceToken(Optional.of("  "));
        none.check(null);
        assertFalse(none.required(), "a blank setting is no token: the writes are open, with a warning");
        assertTrue(none.accepts(null));
    }
}
