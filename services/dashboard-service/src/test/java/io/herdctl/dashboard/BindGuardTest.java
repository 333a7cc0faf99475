package io.herdctl.dashboard;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.herdctl.dashboard.security.BindGuard;

class BindGuardTest {

    @Test
    void refusesNonLoopbackAddressesWithoutAuthentication() {
        assertDoesNotThrow(() -> BindGuard.requireSafeBinding("127.0.0.1", "none"));
        assertDoesNotThrow(() -> BindGuard.requireSafeBinding("localhost", "none"));
        assertDoesNotThrow(() -> BindGuard.requireSafeBinding("::1", "none"));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> BindGuard.requireSafeBinding("0.0.0.0", "none"));
        assertTrue(e.getMessage().contains("oauth2-proxy"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> BindGuard.requireSafeBinding("127.0.0.1", "basic"));
    }
}
