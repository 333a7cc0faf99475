package io.herdctl.audit.domain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableSet;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.herdctl.events.JobIds;
import io.herdctl.events.JobStatus;

/**
 * The job history as rows in memory, derived from the {@code <jobId>.yaml}
 * files alone: {@link #rebuild} reads them all again at any time, and every
 * metadata write updates its row. Rows are kept in start order (newest first),
 * so the usual question, the latest jobs with a filter, walks only as far as
 * the page it answers plus a count; other orders keep only the page's rows while
 * they scan.
 */
public final class JobIndex {

    private static final Logger LOG = Logger.getLogger(JobIndex.class);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    public static final int PROMPT_HEAD_CHARS = 200;

    /** One job, as the list shows it. */
    public record Row(String id, String agent, String schedule, String triggerType, JobStatus status, String exitReason,
            String promptHead, Instant startedAt, Instant finishedAt, Long durationSeconds, String sessionId,
            Double costUsd, Long outputLines) {
    }

    /** How a list is ordered. */
    public enum Sort {
        STARTED_AT("startedAt", Comparator.comparing(Row::startedAt).thenComparing(Row::id)),
        DURATION("duration", Comparator.comparing(Row::durationSeconds, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(Row::startedAt).thenComparing(Row::id)),
        COST("cost", Comparator.comparing(Row::costUsd, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(Row::startedAt).thenComparing(Row::id)),
        AGENT("agent", Comparator.comparing(Row::agent).thenComparing(Row::startedAt).thenComparing(Row::id));

        final String wire;
        final Comparator<Row> ascending;

        Sort(String wire, Comparator<Row> ascending) {
            this.wire = wire;
            this.ascending = ascending;
        }

        /** The order a field name asks for ({@code startedAt, duration, cost, agent}); null when none. */
        public static Sort fromWire(String field) {
            for (Sort s : values()) {
                if (s.wire.equals(field)) {
                    return s;
                }
            }
            return null;
        }

        public static String choices() {
            StringBuilder b = new StringBuilder();
            for (Sort s : values()) {
                b.append(b.isEmpty() ? "" : ", ").append(s.wire).append(", -").append(s.wire);
            }
            return b.toString();
        }
    }

    /** A list request: filters (null: any), order, page. */
    public record Query(String agent, Set<JobStatus> statuses, String triggerType, Instant since, Instant until,
            Sort sort, boolean descending, int limit, int offset) {
    }

    /** One page of a list and how many rows matched in all. */
    public record Page(List<Row> rows, int total) {
    }

    private static final Comparator<Row> NEWEST_FIRST = Sort.STARTED_AT.ascending.reversed();

    private final Path jobsDir;
    private final Map<String, Row> byId = new ConcurrentHashMap<>();
    private final NavigableSet<Row> newestFirst = new ConcurrentSkipListSet<>(NEWEST_FIRST);
    /** The same rows per agent, the most common filter: its page and count walk only that agent's jobs. */
    private final Map<String, NavigableSet<Row>> byAgent = new ConcurrentHashMap<>();

    public JobIndex(Path jobsDir) {
        this.jobsDir = jobsDir;
    }

    /** Reads every {@code <jobId>.yaml} again; returns how many jobs are indexed. */
    public synchronized int rebuild() {
        long t0 = System.nanoTime();
        byId.clear();
        newestFirst.clear();
        byAgent.clear();
        if (!Files.isDirectory(jobsDir)) {
            return 0;
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(jobsDir, "job-*.yaml")) {
            dir.forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + jobsDir, e);
        }
        AtomicInteger unreadable = new AtomicInteger();
        files.parallelStream().forEach(file -> {
            String name = file.getFileName().toString();
            String id = name.substring(0, name.length() - ".yaml".length());
            if (!JobIds.isValid(id)) {
                return;
            }
            try {
                @SuppressWarnings("unchecked")
                Map<String, Object> m = YAML.readValue(file.toFile(), Map.class);
                Row row = row(m);
                if (row != null && id.equals(row.id())) {
                    byId.put(row.id(), row);
                }
            } catch (IOException | RuntimeException e) {
                unreadable.incrementAndGet();
                LOG.warnf("%s is left out of the job index: %s", file, e.getMessage());
            }
        });
        newestFirst.addAll(byId.values());
        byId.values().forEach(r -> agentSet(r.agent()).add(r));
        LOG.infof("job index: %d jobs from %s in %d ms%s", byId.size(), jobsDir, (System.nanoTime() - t0) / 1_000_000,
                unreadable.get() == 0 ? "" : " (" + unreadable.get() + " unreadable files left out)");
        return byId.size();
    }

    /** The row for a job's metadata as written (see {@link JobMetadataWriter}). */
    public synchronized void put(Map<String, Object> metadata) {
        Row row = row(metadata);
        if (row == null) {
            return;
        }
        Row old = byId.put(row.id(), row);
        if (old != null) {
            newestFirst.remove(old);
            agentSet(old.agent()).remove(old);
        }
        newestFirst.add(row);
        agentSet(row.agent()).add(row);
    }

    public synchronized void remove(String jobId) {
        Row old = byId.remove(jobId);
        if (old != null) {
            newestFirst.remove(old);
            agentSet(old.agent()).remove(old);
        }
    }

    private NavigableSet<Row> agentSet(String agent) {
        return byAgent.computeIfAbsent(agent, a -> new ConcurrentSkipListSet<>(NEWEST_FIRST));
    }

    public Row get(String jobId) {
        return byId.get(jobId);
    }

    public int size() {
        return byId.size();
    }

    /** Finished jobs that ended after {@code since}. */
    public List<Row> recentlyFinished(Instant since) {
        return byId.values().stream().filter(r -> r.status().isTerminal() && r.finishedAt() != null
                && r.finishedAt().isAfter(since)).toList();
    }

    /** Every agent that has jobs in the index, and any whose jobs were all removed since it was built. */
    public Set<String> agents() {
        return Collections.unmodifiableSet(byAgent.keySet());
    }

    /**
     * Hands each of an agent's rows started in {@code [since, until)} to
     * {@code action}, newest first, walking only those: the walk starts at
     * {@code until} and stops at the first older row, with no bound compared on
     * the way (the set's comparator, called on every step of a bounded view, would
     * cost more than the walk).
     */
    public void forEachStartedBetween(String agent, Instant since, Instant until, Consumer<Row> action) {
        for (Row r : byAgent.getOrDefault(agent, EMPTY).tailSet(probe(until), false)) {
            if (r.startedAt().isBefore(since)) {
                return;
            }
            action.accept(r);
        }
    }

    /** Every row, oldest first (for retention). */
    public List<Row> oldestFirst() {
        return new ArrayList<>(newestFirst.descendingSet());
    }

    public Page query(Query q) {
        NavigableSet<Row> rows = candidates(q);
        Predicate<Row> match = filter(q);
        if (q.sort() == Sort.STARTED_AT) {
            Iterable<Row> order = q.descending() ? rows : rows.descendingSet();
            List<Row> page = new ArrayList<>(Math.min(q.limit(), 512));
            int total = 0;
            for (Row r : order) {
                if (match.test(r)) {
                    if (total >= q.offset() && page.size() < q.limit()) {
                        page.add(r);
                    }
                    total++;
                }
            }
            return new Page(page, total);
        }
        Comparator<Row> order = q.descending() ? q.sort().ascending.reversed() : q.sort().ascending;
        int keep = q.offset() + q.limit();
        // The rows up to the end of the page, in a heap whose head is the worst kept: a row that is not better
        // than the head is passed over with one comparison, so most of the walk costs no heap operation.
        PriorityQueue<Row> best = new PriorityQueue<>(Math.min(keep, 4096) + 1, order.reversed());
        int total = 0;
        for (Row r : rows) {
            if (!match.test(r)) {
                continue;
            }
            total++;
            if (best.size() < keep) {
                best.add(r);
            } else if (order.compare(r, best.peek()) < 0) {
                best.poll();
                best.add(r);
            }
        }
        List<Row> sorted = new ArrayList<>(best);
        sorted.sort(order);
        List<Row> page = q.offset() >= sorted.size() ? List.of() : sorted.subList(q.offset(), sorted.size());
        return new Page(List.copyOf(page), total);
    }

    /** The rows a query can match, newest first: one agent's, and only those started in the time window. */
    private NavigableSet<Row> candidates(Query q) {
        NavigableSet<Row> rows = q.agent() == null ? newestFirst : byAgent.getOrDefault(q.agent(), EMPTY);
        if (q.until() != null && q.since() != null) {
            return q.since().isBefore(q.until()) ? rows.subSet(probe(q.until()), false, probe(q.since()), true) : EMPTY;
        }
        if (q.until() != null) {
            return rows.tailSet(probe(q.until()), false);
        }
        if (q.since() != null) {
            return rows.headSet(probe(q.since()), true);
        }
        return rows;
    }

    private static final NavigableSet<Row> EMPTY = new ConcurrentSkipListSet<>(NEWEST_FIRST);

    /** A row that sorts just after every row started at {@code t} (no real id is empty). */
    private static Row probe(Instant t) {
        return new Row("", null, null, null, null, null, null, t, null, null, null, null, null);
    }

    private static Predicate<Row> filter(Query q) {
        return r -> (q.agent() == null || q.agent().equals(r.agent()))
                && (q.statuses() == null || q.statuses().isEmpty() || q.statuses().contains(r.status()))
                && (q.triggerType() == null || q.triggerType().equals(r.triggerType()))
                && (q.since() == null || !r.startedAt().isBefore(q.since()))
                && (q.until() == null || r.startedAt().isBefore(q.until()));
    }

    /** A row from metadata; null when the metadata lacks what every job has (id, agent, status, start). */
    static Row row(Map<String, Object> m) {
        if (m == null) {
            return null;
        }
        String id = string(m.get("id"));
        String agent = string(m.get("agent"));
        String status = string(m.get("status"));
        Instant started = instant(m.get("started_at"));
        if (id == null || agent == null || status == null || started == null || !JobIds.isValid(id)) {
            return null;
        }
        String prompt = string(m.get("prompt"));
        if (prompt != null && prompt.length() > PROMPT_HEAD_CHARS) {
            prompt = prompt.substring(0, PROMPT_HEAD_CHARS - 1) + "…";
        }
        Object duration = m.get("duration_seconds");
        Object lines = m.get("output_lines");
        Double cost = null;
        if (m.get("usage") instanceof Map<?, ?> usage && usage.get("total_cost_usd") instanceof Number n) {
            cost = n.doubleValue();
        }
        return new Row(id, agent, string(m.get("schedule")), string(m.get("trigger_type")),
                JobStatus.fromWire(status.toLowerCase(Locale.ROOT)), string(m.get("exit_reason")), prompt, started,
                instant(m.get("finished_at")), duration instanceof Number n ? n.longValue() : null,
                string(m.get("session_id")), cost, lines instanceof Number n ? n.longValue() : null);
    }

    private static String string(Object v) {
        return v == null ? null : String.valueOf(v);
    }

    private static Instant instant(Object v) {
        if (v == null) {
            return null;
        }
        try {
            return Instant.parse(String.valueOf(v));
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
