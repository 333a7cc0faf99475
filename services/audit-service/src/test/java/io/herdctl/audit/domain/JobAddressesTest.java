package io.herdctl.audit.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.herdctl.events.ExitReason;
import io.herdctl.events.JobStatus;
import io.herdctl.events.JobStatusChanged;
import io.herdctl.events.TriggerType;

class JobAddressesTest {

    static final Instant T = Instant.parse("2026-11-29T19:00:00Z");

    @TempDir
    Path dir;

    static JobStatusChanged running(String job, String address, Instant at) {
        return new JobStatusChanged("s-" + job + "-run", at, 1, job, "fleet.a", null, TriggerType.MANUAL,
                JobStatus.RUNNING, null, null, at.minusSeconds(2), null, null, "c-" + job, "runner-a", null, null, null,
                null, null, address);
    }

    static JobStatusChanged ended(String job, Instant at) {
        return new JobStatusChanged("s-" + job + "-end", at, 1, job, "fleet.a", null, TriggerType.MANUAL,
                JobStatus.COMPLETED, ExitReason.SUCCESS, 0, at.minusSeconds(60), at, 60_000L, "c-" + job, "runner-a",
                null, null, null, null, 3L);
    }

    static Optional<String> job(JobAddresses book, String address, Instant t) {
        return book.at(address, t).map(JobAddresses.Window::jobId);
    }

    @Test
    void aJobHasItsAddressFromItsStartUntilShortlyAfterItsEnd() {
        JobAddresses book = new JobAddresses(dir.resolve("addresses.jsonl"));
        book.status(running("job-2026-11-29-aaaaa1", "172.18.0.3", T));
        assertEquals(Optional.of("job-2026-11-29-aaaaa1"), job(book, "172.18.0.3", T.minusSeconds(1)),
                "from the job's start, before its running status");
        assertEquals(Optional.empty(), job(book, "172.18.0.3", T.minusSeconds(3)));
        assertEquals(Optional.of("job-2026-11-29-aaaaa1"), job(book, "172.18.0.3", T.plusSeconds(3600)), "still running");
        assertEquals(Optional.empty(), job(book, "172.18.0.4", T));

        book.status(ended("job-2026-11-29-aaaaa1", T.plusSeconds(60)));
        assertEquals(Optional.of("job-2026-11-29-aaaaa1"),
                job(book, "172.18.0.3", T.plusSeconds(60).plus(JobAddresses.LINGER)));
        assertEquals(Optional.empty(), job(book, "172.18.0.3", T.plusSeconds(61).plus(JobAddresses.LINGER)));
    }

    @Test
    void aReusedAddressIsTheJobsWhoseWindowHoldsTheTimeTheLaterStartedOneWhereTwoDo() {
        JobAddresses book = new JobAddresses(dir.resolve("addresses.jsonl"));
        book.status(running("job-2026-11-29-aaaaa1", "172.18.0.3", T));
        book.status(ended("job-2026-11-29-aaaaa1", T.plusSeconds(60)));
        // A warm container: the agent's next job, same address, starts before the first one's linger is over.
        book.status(running("job-2026-11-29-bbbbb2", "172.18.0.3", T.plusSeconds(63)));
        assertEquals(Optional.of("job-2026-11-29-aaaaa1"), job(book, "172.18.0.3", T.plusSeconds(30)));
        assertEquals(Optional.of("job-2026-11-29-aaaaa1"), job(book, "172.18.0.3", T.plusSeconds(60)));
        assertEquals(Optional.of("job-2026-11-29-bbbbb2"), job(book, "172.18.0.3", T.plusSeconds(62)));
        assertEquals(Optional.of("job-2026-11-29-bbbbb2"), job(book, "172.18.0.3", T.plusSeconds(600)));
        // A job whose end was never seen does not take its address's later requests from the next job.
        book.status(running("job-2026-11-29-ccccc3", "172.18.0.5", T));
        book.status(running("job-2026-11-29-ddddd4", "172.18.0.5", T.plusSeconds(300)));
        assertEquals(Optional.of("job-2026-11-29-ddddd4"), job(book, "172.18.0.5", T.plusSeconds(400)));
    }

    @Test
    void statusesWithoutAnAddressOrOfNoHerdctlJobAreIgnored() {
        JobAddresses book = new JobAddresses(dir.resolve("addresses.jsonl"));
        book.status(running("job-2026-11-29-aaaaa1", null, T));
        book.status(running("../../etc/passwd", "172.18.0.3", T));
        book.status(ended("job-2026-11-29-aaaaa1", T.plusSeconds(60)));
        assertEquals(0, book.size());
        assertTrue(Files.notExists(dir.resolve("addresses.jsonl")));
    }

    @Test
    void theWindowsAreReadBackAfterARestart() throws IOException {
        Path journal = dir.resolve("egress").resolve("addresses.jsonl");
        JobAddresses book = new JobAddresses(journal);
        book.status(running("job-2026-11-29-aaaaa1", "172.18.0.3", T));
        book.status(running("job-2026-11-29-aaaaa1", "172.18.0.3", T)); // delivered again
        book.status(ended("job-2026-11-29-aaaaa1", T.plusSeconds(60)));
        book.status(running("job-2026-11-29-bbbbb2", "172.18.0.4", T.plusSeconds(10)));
        assertEquals(3, Files.readAllLines(journal).size(), "a repeated status writes nothing");
        Files.writeString(journal, "not a window\n", StandardOpenOption.APPEND);

        JobAddresses again = new JobAddresses(journal);
        assertEquals(2, again.load(), "the line that is not a window is left out");
        assertEquals(Optional.of("job-2026-11-29-aaaaa1"), job(again, "172.18.0.3", T.plusSeconds(30)));
        assertEquals(Optional.empty(), job(again, "172.18.0.3", T.plusSeconds(120)), "its end is remembered too");
        assertEquals(Optional.of("job-2026-11-29-bbbbb2"), job(again, "172.18.0.4", T.plusSeconds(3000)));
        assertEquals("fleet.a", again.at("172.18.0.4", T.plusSeconds(3000)).orElseThrow().agent());
    }

    @Test
    void theOldestJobsAreForgottenAndTheJournalIsCompacted() throws IOException {
        Path journal = dir.resolve("addresses.jsonl");
        JobAddresses book = new JobAddresses(journal, 100);
        for (int i = 0; i < 300; i++) {
            String job = String.format("job-2026-11-29-j%05d", i);
            book.status(running(job, "10.0.0." + (i % 50), T.plusSeconds(i * 100L)));
            book.status(ended(job, T.plusSeconds(i * 100L + 50)));
        }
        assertEquals(100, book.size());
        assertEquals(Optional.empty(), job(book, "10.0.0.0", T.plusSeconds(10)), "forgotten");
        assertEquals(Optional.of("job-2026-11-29-j00299"), job(book, "10.0.0.49", T.plusSeconds(29_910)));
        assertTrue(Files.readAllLines(journal).size() <= 2 * 100 + 1, "compacted");
        JobAddresses again = new JobAddresses(journal, 100);
        assertEquals(100, again.load());
        assertEquals(Optional.of("job-2026-11-29-j00299"), job(again, "10.0.0.49", T.plusSeconds(29_910)));
    }
}
