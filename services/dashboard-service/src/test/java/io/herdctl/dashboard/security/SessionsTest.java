package io.herdctl.dashboard.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

class SessionsTest {

    @Test
    void aSessionIsValidUntilItExpiresAndCannotBeForgedOrMoved() {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-29T10:00:00Z"));
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        Sessions sessions = new Sessions(Duration.ofHours(24), clock);
        String cookie = sessions.issue("operator");
        assertEquals("operator", sessions.verify(cookie));
        String[] parts = cookie.split("\\.");
        assertNull(sessions.verify((Long.parseLong(parts[0]) + 3600) + "." + parts[1] + "." + parts[2]),
                "a longer life cannot be granted by editing the cookie");
        assertNull(sessions.verify(parts[0] + ".YWRtaW4." + parts[2]), "nor another user");
        assertNull(new Sessions(Duration.ofHours(24), clock).verify(cookie), "another key (a restart) signs everyone out");
        assertNull(sessions.verify("garbage"));
        assertNull(sessions.verify(null));
        now.set(now.get().plus(Duration.ofHours(24)));
        assertNull(sessions.verify(cookie), "expired");
    }

    @Test
    void tokensAreRandomAndComparedWhole() {
        assertFalse(Sessions.randomToken().equals(Sessions.randomToken()));
        assertTrue(Sessions.randomToken().length() >= 43);
        assertEquals("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", Sessions.sha256("test"));
        assertTrue(Sessions.same("abc", "abc"));
        assertFalse(Sessions.same("abc", "abd"));
        assertFalse(Sessions.same("abc", null));
    }
}
