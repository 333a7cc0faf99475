package io.herdctl.audit.domain;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jboss.logging.Logger;

import io.herdctl.events.EventJson;
import io.herdctl.events.JobIds;
import io.herdctl.events.JobStatusChanged;
import io.herdctl.events.MalformedEventException;

/**
 * Which job a container address belonged to, and when. The egress proxy logs
 * requests by client address only, and an address is handed to a later job once
 * its container is gone (a warm container even keeps it from one job of its
 * agent to the next), so each job has a window: from its start (the
 * {@code running} status carries the address) to {@link #LINGER} after its
 * terminal status. A request is the job's whose window holds its time; where two
 * windows hold it, the job that started last (the earlier one is over, only
 * lingering).
 * <p>
 * The windows are also appended to a journal under the state directory and read
 * back at start: the status consumer does not see a running job's {@code running}
 * status again after a restart, and its refusals must still name it. The journal
 * is compacted when it holds twice the windows kept. Bounded: the windows of the
 * jobs that started first are forgotten first.
 */
public final class JobAddresses {

    /** How long after its terminal status a job's requests are still its own (the proxy logs a request at its end). */
    public static final Duration LINGER = Duration.ofSeconds(5);
    static final int REMEMBERED = 10_000;
    private static final Logger LOG = Logger.getLogger(JobAddresses.class);

    /** A job's time at an address; {@code until} null while the job runs. */
    public record Window(String address, String jobId, String agent, Instant from, Instant until) {

        public Window {
            if (address == null || jobId == null || agent == null || from == null) {
                throw new IllegalArgumentException("address, jobId, agent and from are required");
            }
            if (!JobIds.isValid(jobId)) {
                throw new IllegalArgumentException("job id '" + jobId + "' is not a herdctl job id");
            }
        }

        boolean holds(Instant t) {
            return !t.isBefore(from) && (until == null || !t.isAfter(until));
        }
    }

    private final Path journal;
    private final int remembered;
    /** By job, in the order the jobs were first seen running. */
    private final Map<String, Window> byJob = new LinkedHashMap<>();
    private final Map<String, List<Window>> byAddress = new HashMap<>();
    private long journalLines;

    public JobAddresses(Path journal) {
        this(journal, REMEMBERED);
    }

    JobAddresses(Path journal, int remembered) {
        this.journal = journal;
        this.remembered = remembered;
    }

    /** Reads the journal back (a line that does not parse is left out); returns how many windows are known. */
    public synchronized int load() {
        byJob.clear();
        byAddress.clear();
        journalLines = 0;
        if (!Files.exists(journal)) {
            return 0;
        }
        try (BufferedReader in = Files.newBufferedReader(journal, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                journalLines++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    remember(EventJson.read(line, Window.class));
                } catch (MalformedEventException | IllegalArgumentException e) {
                    LOG.warnf("%s line %d is not a job address and is left out: %s", journal, journalLines,
                            e.getMessage());
                }
            }
        } catch (IOException e) {
            LOG.warnf("cannot read %s (%s): egress refusals of jobs that were running before the restart will be"
                    + " unattributed", journal, e.getMessage());
        }
        compactIfLong();
        return byJob.size();
    }

    /** Opens a job's window on its {@code running} status with an address, and closes it on its terminal status. */
    public synchronized void status(JobStatusChanged s) {
        if (!JobIds.isValid(s.jobId())) {
            return; // not a job of herdctl's: the status goes to the dead letters, no alert may name it
        }
        Window known = byJob.get(s.jobId());
        Window next = null;
        String address = s.address() == null ? "" : s.address().trim();
        if (!address.isEmpty() && !s.status().isTerminal()) {
            Instant from = s.startedAt() != null && s.startedAt().isBefore(s.time()) ? s.startedAt() : s.time();
            if (known == null || !known.address().equals(address) || known.until() != null) {
                next = new Window(address, s.jobId(), s.agent(), known == null ? from : min(known.from(), from), null);
            }
        } else if (s.status().isTerminal() && known != null && known.until() == null) {
            next = new Window(known.address(), known.jobId(), known.agent(), known.from(), s.time().plus(LINGER));
        }
        if (next != null) {
            remember(next);
            append(next);
        }
    }

    /** The job that had {@code address} at {@code time}, if one is known. */
    public synchronized Optional<Window> at(String address, Instant time) {
        Window best = null;
        for (Window w : byAddress.getOrDefault(address, List.of())) {
            if (w.holds(time) && (best == null || w.from().isAfter(best.from()))) {
                best = w;
            }
        }
        return Optional.ofNullable(best);
    }

    public synchronized int size() {
        return byJob.size();
    }

    private void remember(Window w) {
        Window old = byJob.put(w.jobId(), w);
        if (old != null) {
            forgetAddress(old);
        }
        byAddress.computeIfAbsent(w.address(), a -> new ArrayList<>(2)).add(w);
        Iterator<Window> eldest = byJob.values().iterator();
        while (byJob.size() > remembered) {
            Window gone = eldest.next();
            eldest.remove();
            forgetAddress(gone);
        }
    }

    private void forgetAddress(Window w) {
        List<Window> at = byAddress.get(w.address());
        if (at != null) {
            at.removeIf(x -> x.jobId().equals(w.jobId()));
            if (at.isEmpty()) {
                byAddress.remove(w.address());
            }
        }
    }

    /**
     * A failed write is logged, not thrown: the window is known until the next
     * restart, and a status must not go to the dead letters for it.
     */
    private void append(Window w) {
        try {
            Files.createDirectories(journal.toAbsolutePath().getParent());
            Files.writeString(journal, EventJson.write(w) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            journalLines++;
            compactIfLong();
        } catch (IOException e) {
            LOG.warnf("cannot append to %s (%s): after a restart, job %s's egress refusals will be unattributed",
                    journal, e.getMessage(), w.jobId());
        }
    }

    private void compactIfLong() {
        if (journalLines <= 2L * Math.max(byJob.size(), 64)) {
            return;
        }
        Path tmp = journal.resolveSibling(journal.getFileName() + ".tmp");
        try {
            StringBuilder all = new StringBuilder();
            byJob.values().forEach(w -> all.append(EventJson.write(w)).append('\n'));
            Files.writeString(tmp, all, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, journal, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, journal, StandardCopyOption.REPLACE_EXISTING);
            }
            journalLines = byJob.size();
        } catch (IOException e) {
            LOG.warnf("cannot compact %s: %s", journal, e.getMessage());
        }
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
