package io.herdctl.audit.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.herdctl.events.AuditAlertRaised;
import io.herdctl.events.OcsfFinding;
import io.herdctl.events.Severity;

class AlertStoreTest {

    static final Instant T = Instant.parse("2026-11-29T10:00:00Z");

    @TempDir
    Path dir;

    static AuditAlertRaised alert(String id, String job, String rule, Severity s, int second) {
        return new AuditAlertRaised(id, T.plusSeconds(second), 1, job, "agent-" + job.substring(job.length() - 1), 3, rule,
                "title", s, "excerpt", T);
    }

    static void add(AlertStore store, AuditAlertRaised a) {
        store.add(a, OcsfFinding.json(a, null));
    }

    static List<String> ids(AlertStore.Page page) {
        return page.alerts().stream().map(AuditAlertRaised::eventId).toList();
    }

    @Test
    void keepsEachAlertOnceListsNewestFirstAndReadsItselfBack() throws IOException {
        AlertStore store = new AlertStore(dir);
        add(store, alert("a1", "job-2026-11-29-aaaaa1", "permission-denied", Severity.MEDIUM, 1));
        add(store, alert("a2", "job-2026-11-29-aaaaa1", "secret-in-output", Severity.HIGH, 2));
        add(store, alert("a3", "job-2026-11-29-bbbbb2", "reverse-shell", Severity.CRITICAL, 3));
        assertFalse(store.add(alert("a2", "job-2026-11-29-aaaaa1", "secret-in-output", Severity.HIGH, 9), "{}"),
                "raised again: kept once");
        assertEquals(2, Files.readAllLines(store.fileOf("job-2026-11-29-aaaaa1")).size());
        assertEquals(2, store.countFor("job-2026-11-29-aaaaa1"));

        assertEquals(List.of("a3", "a2", "a1"), ids(store.query(new AlertStore.Query(null, null, null, null, null, null,
                50, 0))));
        assertEquals(List.of("a3", "a2"), ids(store.query(new AlertStore.Query(null, null, null, Severity.HIGH, null,
                null, 50, 0))));
        assertEquals(List.of("a1"), ids(store.query(new AlertStore.Query("job-2026-11-29-aaaaa1", null,
                "permission-denied", null, null, null, 50, 0))));
        AlertStore.Page page = store.query(new AlertStore.Query(null, null, null, null, T.plusSeconds(2), null, 1, 1));
        assertEquals(List.of("a2"), ids(page));
        assertEquals(2, page.total());

        Files.writeString(store.fileOf("job-2026-11-29-bbbbb2"), "not a finding\n", StandardOpenOption.APPEND);
        AlertStore again = new AlertStore(dir);
        assertEquals(3, again.rebuild(), "a line that is not a finding is left out");
        assertEquals(List.of("a3", "a2", "a1"), ids(again.query(new AlertStore.Query(null, null, null, null, null, null,
                50, 0))));

        again.remove("job-2026-11-29-aaaaa1");
        assertEquals(0, again.countFor("job-2026-11-29-aaaaa1"));
        assertTrue(Files.notExists(again.fileOf("job-2026-11-29-aaaaa1")));
        assertEquals(List.of("a3"), ids(again.query(new AlertStore.Query(null, null, null, null, null, null, 50, 0))));
    }

    @Test
    void unattributedEgressAlertsAreKeptInTheirOwnFileReadBackAndAgedOut() throws IOException {
        AlertStore store = new AlertStore(dir);
        add(store, alert("u1", EgressAlerts.UNATTRIBUTED_JOB, "egress-denied", Severity.MEDIUM, 1));
        add(store, alert("u2", EgressAlerts.UNATTRIBUTED_JOB, "egress-denied", Severity.HIGH, 100));
        add(store, alert("a1", "job-2026-11-29-aaaaa1", "egress-denied", Severity.HIGH, 2));
        assertTrue(Files.exists(dir.resolve("egress-unattributed.jsonl")));
        assertTrue(store.contains("u1") && !store.contains("nope"));

        AlertStore again = new AlertStore(dir);
        assertEquals(3, again.rebuild());
        assertEquals(List.of("u2", "u1"), ids(again.query(new AlertStore.Query(EgressAlerts.UNATTRIBUTED_JOB, null,
                null, null, null, null, 50, 0))));

        assertEquals(1, again.removeRaisedBefore(EgressAlerts.UNATTRIBUTED_JOB, T.plusSeconds(50)));
        assertEquals(0, again.removeRaisedBefore(EgressAlerts.UNATTRIBUTED_JOB, T.plusSeconds(50)));
        assertEquals(1, again.countFor(EgressAlerts.UNATTRIBUTED_JOB));
        assertEquals(List.of("u2", "a1"), ids(again.query(new AlertStore.Query(null, null, null, null, null, null, 50,
                0))));
        assertEquals(1, Files.readAllLines(dir.resolve("egress-unattributed.jsonl")).size());
        assertEquals(2, new AlertStore(dir).rebuild(), "the file was rewritten without it");
    }
}
