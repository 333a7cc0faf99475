package io.herdctl.scheduler.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import io.herdctl.events.JobStatus;

class JobLedgerTest {

    @Test
    void countsJobsFromRequestUntilTerminalStatusWhateverTheOrder() {
        JobLedger ledger = new JobLedger();
        assertEquals(-1, ledger.tryReserve("a", "j1", 1));
        assertEquals(1, ledger.tryReserve("a", "j2", 1), "at capacity: the running count comes back");
        ledger.statusChanged("a", "j1", JobStatus.RUNNING);
        assertEquals(1, ledger.activeCount("a"));
        ledger.statusChanged("a", "j1", JobStatus.COMPLETED);
        assertEquals(0, ledger.activeCount("a"));
        // The request record read after its own completion must not count again.
        ledger.requested("a", "j1");
        assertEquals(0, ledger.activeCount("a"));
        assertEquals(-1, ledger.tryReserve("a", "j2", 1));
        assertEquals(0, ledger.activeCount("b"));
    }
}
