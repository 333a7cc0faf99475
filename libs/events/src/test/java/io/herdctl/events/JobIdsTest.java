package io.herdctl.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class JobIdsTest {

    private static final Instant SLOT = Instant.parse("2026-03-09T23:30:00Z");

    @Test
    void randomIdsHaveHerdctlFormatAndLocalDate() {
        String id = JobIds.random(SLOT, ZoneId.of("Asia/Tokyo"));
        assertTrue(JobIds.isValid(id), id);
        assertTrue(id.startsWith("job-2026-03-10-"), "date is taken in the given zone: " + id);
    }

    @Test
    void derivedIdsAreStablePerSlotAndDifferAcrossSlots() {
        String a = JobIds.derived("fleet.agent", "hourly", SLOT, ZoneOffset.UTC);
        assertEquals(a, JobIds.derived("fleet.agent", "hourly", SLOT, ZoneOffset.UTC));
        assertNotEquals(a, JobIds.derived("fleet.agent", "hourly", SLOT.plusSeconds(3600), ZoneOffset.UTC));
        assertNotEquals(a, JobIds.derived("fleet.agent", "daily", SLOT, ZoneOffset.UTC));
        assertTrue(JobIds.isValid(a), a);
    }

    @Test
    void rejectsIdsThatCouldEscapeTheJobsDirectory() {
        assertFalse(JobIds.isValid("../../etc/passwd"));
        assertFalse(JobIds.isValid("job-2026-01-01-abc12/"));
        assertFalse(JobIds.isValid("job-2026-01-01-ABC123"));
        assertFalse(JobIds.isValid("job-2026-01-01-abc123\n"));
        assertFalse(JobIds.isValid(null));
    }
}
