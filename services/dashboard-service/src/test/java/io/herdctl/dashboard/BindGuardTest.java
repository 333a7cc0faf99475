package io.herdctl.dashboard;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.herdctl.dashboard.security.AuthSettings.Mode;
import io.herdctl.dashboard.security.BindGuard;

class BindGuardTest {

    @Test
    void refusesNonLoopbackAddressesWithoutAuthentication() {
        assertDoesNotThrow(() -> BindGuard.requireSafeBinding("127.0.0.1", Mode.NONE));
        assertDoesNotThrow(() -> BindGuard.requireSafeBinding("localhost", Mode.NONE));
        assertDoesNotThrow(() -> BindGuard.requireSafeBinding("::1", Mode.NONE));
        for (String open : new String[] {"0.0.0.0", "::", "192.0.2.10"}) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> BindGuard.requireSafeBinding(open, Mode.NONE));
            assertTrue(e.getMessage().contains("oauth2-proxy") && e.getMessage().contains("herdctl.dashboard.auth=token"),
                    e.getMessage());
        }
        assertDoesNotThrow(() -> BindGuard.requireSafeBinding("0.0.0.0", Mode.PROXY));
        assertDoesNotThrow(() -> BindGuard.requireSafeBinding("0.0.0.0", Mode.TOKEN));
    }
}
