package io.herdctl.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import io.herdctl.audit.domain.DetectionRules;
import io.herdctl.events.AuditAlertRaised;
import io.herdctl.events.EventJson;
import io.herdctl.events.JobOutputEmitted;

/**
 * The audit service's detection rules against GNU grep on the same lines.
 *
 * <p>A corpus of made-up herdctl job log lines ({@link JobLogLines}, fixed seed,
 * about {@code MB} megabytes, default 1,024) is generated once and kept under
 * {@code bench/target/rules-corpus/}. Then, on that file, in one run:
 * <ul>
 * <li>(a) the rule engine as the audit service runs it, single thread: per line,
 * the JSON parsed to the entry map, a {@link JobOutputEmitted} built (type,
 * entry, raw = the line; a new job at every init line, seq from 1 per job) and
 * {@code new DetectionRules(DetectionRules.shipped()).inspect(line)} (types,
 * tool, subject, unless, thresholds, masking): alerts counted per rule;
 * <li>(a') the same pass in a JVM started with the service's flags ({@code -Xms64m
 * -Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1}, as {@code ServiceProcess}
 * starts every service), on the first 128 MB of the corpus (it is the slowest pass);
 * <li>(p) parsing only: the same per-line work without {@code inspect};
 * <li>(b) the regular expressions only: each shipped rule's pattern
 * {@code find()} on every raw line (no type, tool, subject or unless), lines
 * counted per rule;
 * <li>(c) {@code LC_ALL=C grep -E -c [-i] -e ERE} with each rule's pattern
 * translated from Java syntax to POSIX ERE, one invocation per rule (the way the
 * checks are run by hand), times summed; (c') the same patterns in one
 * invocation per case flag (two). Each grep runs twice; the second (warm) run
 * counts. (b) and (c) must count the same lines per rule: the table shows it.
 * </ul>
 * Every pass reads the file as UTF-8 lines; two read-only passes run first so
 * the file is in the page cache (its state is printed from {@code fincore}), and
 * each Java pass is preceded by a warm-up pass over the first lines (JIT).
 *
 * <p>Run: {@code ./herdctl bench rules [MB]} (default 1024).
 */
public final class RuleMatching {

    static final long SEED = 20261129L;
    private static final Instant START = Instant.parse("2026-08-01T00:00:00Z");
    private static final String CORPUS_VERSION = "v2";
    /** (a') runs on the first this many bytes (whole lines) of the corpus: it is the slowest pass. */
    private static final long CHILD_SLICE_BYTES = 128L << 20;
    private static final List<String> SERVICE_FLAGS = List.of("-Xms64m", "-Xmx384m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1");
    private static final String ENGINE_PASS = "--engine-pass";

    private RuleMatching() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals(ENGINE_PASS)) {
            enginePassChild(Path.of(args[1]), Long.parseLong(args[2]), Long.parseLong(args[3]));
            return;
        }
        int mb = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
        Path dir = BenchFiles.home().resolve("bench/target/rules-corpus");
        Path corpus = dir.resolve("corpus-" + mb + "mb-seed" + SEED + "-" + CORPUS_VERSION + ".jsonl");
        Path statsFile = dir.resolve(corpus.getFileName() + ".properties");
        Properties stats;
        String made;
        if (Files.isRegularFile(corpus) && Files.isRegularFile(statsFile)) {
            stats = load(statsFile);
            made = "cached from an earlier run (generated in " + stats.getProperty("generation.ms") + " ms)";
        } else {
            progress("generating a " + mb + " MB corpus in " + corpus);
            stats = generate(corpus, statsFile, (long) mb << 20);
            made = "generated now in " + stats.getProperty("generation.ms") + " ms";
        }
        long bytes = Files.size(corpus);
        long lines = Long.parseLong(stats.getProperty("lines"));
        long warmLines = Math.min(10_000, Math.max(2_000, lines / 10));
        List<DetectionRules.Rule> rules = DetectionRules.shipped();

        String cacheAtStart = BenchFiles.pageCache(corpus);
        progress("read-only passes");
        long read1 = timed(() -> readOnly(corpus));
        long read2 = timed(() -> readOnly(corpus));
        String cacheBeforeJava = BenchFiles.pageCache(corpus);

        progress("(a) rule engine");
        engine(corpus, warmLines, new DetectionRules(rules));
        Map<String, Long> alerts = new TreeMap<>();
        long engineMs = timed(() -> alerts.putAll(engine(corpus, Long.MAX_VALUE, new DetectionRules(rules))));

        progress("(p) parsing only");
        parseOnly(corpus, warmLines);
        long parseMs = timed(() -> parseOnly(corpus, Long.MAX_VALUE));

        progress("(b) regular expressions only");
        regexOnly(corpus, warmLines, rules);
        long[] regexLines = new long[rules.size()];
        long regexMs = timed(() -> System.arraycopy(regexOnly(corpus, Long.MAX_VALUE, rules), 0, regexLines, 0,
                rules.size()));

        progress("(a') rule engine in a JVM with the service's flags");
        long[] slice = head(corpus, CHILD_SLICE_BYTES);
        ChildPass child = childEnginePass(corpus, warmLines, slice[0]);

        progress("(c) grep");
        String cacheBeforeGrep = BenchFiles.pageCache(corpus);
        List<Ere> eres = new ArrayList<>();
        for (DetectionRules.Rule r : rules) {
            eres.add(Ere.of(r.pattern()));
        }
        List<GrepRun> perRule = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            Ere e = eres.get(i);
            if (e.pattern() == null) {
                perRule.add(null);
                continue;
            }
            grep(corpus, e.ignoreCase(), List.of(e.pattern()));
            perRule.add(grep(corpus, e.ignoreCase(), List.of(e.pattern())));
        }
        List<String> insensitive = new ArrayList<>();
        List<String> sensitive = new ArrayList<>();
        for (Ere e : eres) {
            if (e.pattern() != null) {
                (e.ignoreCase() ? insensitive : sensitive).add(e.pattern());
            }
        }
        grep(corpus, true, insensitive);
        GrepRun groupI = grep(corpus, true, insensitive);
        grep(corpus, false, sensitive);
        GrepRun groupS = grep(corpus, false, sensitive);
        String cacheAtEnd = BenchFiles.pageCache(corpus);

        long grepMs = perRule.stream().filter(g -> g != null).mapToLong(GrepRun::ms).sum();
        long groupMs = groupI.ms() + groupS.ms();
        double mbs = bytes / 1048576.0;

        System.out.printf("""
                rules: ./herdctl bench rules %d
                corpus: %s
                  %s; %,d bytes (%s), %,d lines in %,d jobs, seed %d
                  line types: %s
                  planted lines (something a shipped rule looks for; a planted tool call is 2 lines): %,d = %.2f %% of the lines
                  planted by kind: %s
                shipped rules: %d (detection-rules.yaml), %d case-insensitive, %d case-sensitive
                page cache (fincore): at start %s; before the Java passes %s; before grep %s; at the end %s
                read only (UTF-8 lines, single thread): pass 1 %,d ms, pass 2 %,d ms (%,.0f MB/s)
                Java passes: single thread, after a warm-up pass over the first %,d lines; this JVM: %s
                                                                                       wall ms       MB/s      lines/s
                """, mb, corpus, made, bytes, BenchFiles.mib(bytes), lines, Long.parseLong(stats.getProperty("jobs")),
                SEED, stats.getProperty("types"), Long.parseLong(stats.getProperty("planted.lines")),
                100.0 * Long.parseLong(stats.getProperty("planted.lines")) / lines, stats.getProperty("planted.kinds"),
                rules.size(), eres.stream().filter(Ere::ignoreCase).count(), eres.stream().filter(e -> !e.ignoreCase()).count(),
                cacheAtStart, cacheBeforeJava, cacheBeforeGrep, cacheAtEnd, read1, read2, mbs * 1000 / read2, warmLines,
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version") + ", default flags");
        row("(a)  rule engine: parse + JobOutputEmitted + inspect (all rules)", engineMs, mbs, lines);
        row(String.format("(a') the same, JVM with the service's flags, first %,d lines (%s)", slice[0],
                BenchFiles.mib(slice[1])), child.ms(), slice[1] / 1048576.0, slice[0]);
        row("(p)  parsing only: parse + JobOutputEmitted", parseMs, mbs, lines);
        row("(b)  regex only: " + rules.size() + " patterns find() on every raw line", regexMs, mbs, lines);
        row("(c)  grep -E -c, one invocation per rule, " + perRule.stream().filter(g -> g != null).count()
                + " warm runs summed", grepMs, mbs, lines);
        row("(c') grep -E -c, one invocation per case flag (2), warm runs summed", groupMs, mbs, lines);
        System.out.printf("""
                ratios (same file, same run): engine (a) / grep (c) = %.1f;  (a') / (c), per MB = %.1f;  (a) / grep (c') = %.1f
                                              regex only (b) / grep (c) = %.1f;  parsing (p) / engine (a) = %.0f %% of its time
                grep (c'): -i group %,d ms (%,d lines match any of %d patterns), case-sensitive group %,d ms (%,d lines)
                per rule:                                   engine alerts   regex lines   grep lines   grep ms   (b) = (c)
                """, (double) engineMs / grepMs, (child.ms() / (double) slice[1]) / (grepMs / (double) bytes), (double) engineMs / groupMs,
                (double) regexMs / grepMs, 100.0 * parseMs / engineMs, groupI.ms(), groupI.count(), insensitive.size(),
                groupS.ms(), groupS.count());
        boolean allEqual = true;
        for (int i = 0; i < rules.size(); i++) {
            DetectionRules.Rule r = rules.get(i);
            GrepRun g = perRule.get(i);
            boolean equal = g != null && g.count() == regexLines[i];
            allEqual &= equal;
            System.out.printf("  %-40s %13s %13s %12s %9s   %s%n", r.id() + (eres.get(i).ignoreCase() ? " (-i)" : ""),
                    String.format("%,d", alerts.getOrDefault(r.id(), 0L)), String.format("%,d", regexLines[i]),
                    g == null ? "-" : String.format("%,d", g.count()), g == null ? "-" : String.format("%,d", g.ms()),
                    g == null ? "not run" : equal ? "yes" : "NO (differs by " + (g.count() - regexLines[i]) + ")");
        }
        long engineTotal = alerts.values().stream().mapToLong(Long::longValue).sum();
        System.out.printf("""
                  engine alerts in all: %,d (the child JVM (a') raised %,d on its slice); rules the engine applies only to some lines
                  (types, tool, on: text/tool_input, unless, threshold) raise fewer alerts than their pattern has raw lines
                grep counts equal the Java pattern counts for every rule: %s
                translation Java regex -> POSIX ERE (GNU grep 3, LC_ALL=C; -i for the rules without case_sensitive: true):
                """, engineTotal, child.alerts(), allEqual ? "yes" : "NO");
        System.out.println("""
                  rewrites that match exactly the same lines: (?:...) -> (...); \\d -> [0-9]; \\s -> [[:space:]] (the same six
                  characters); lazy quantifiers -> greedy (which match is found differs, whether a line has one does not);
                  [\\s\\S] and [^\\n] -> . (a grep line has no newline); \\\\ inside [...] -> \\ (literal in a POSIX class);
                  case-insensitive -> grep -i (both ASCII-only here: no UNICODE_CASE, LC_ALL=C).
                  approximation: \\b is kept (a GNU extension). In C locale a word character is [A-Za-z0-9_]; Java 17's \\b
                  also takes non-ASCII letters and digits as word characters, so the two differ only where a pattern's
                  word edge touches such a character (the corpus has non-ASCII characters: the arrow after Read line numbers).""");
        for (int i = 0; i < rules.size(); i++) {
            Ere e = eres.get(i);
            List<String> approx = e.notes().stream().filter(n -> n.startsWith(Ere.APPROX)).toList();
            List<String> rewrites = e.notes().stream().filter(n -> !n.startsWith(Ere.APPROX)).toList();
            String verdict = e.pattern() == null ? "NOT TRANSLATED"
                    : approx.isEmpty() ? "exact" : String.join("; ", approx);
            System.out.printf("  %s%s: %s%s%n    ERE: %s%n", rules.get(i).id(), e.ignoreCase() ? " (-i)" : "", verdict,
                    rewrites.isEmpty() ? "" : "; rewrites: " + String.join(", ", rewrites),
                    e.pattern() == null ? "(not translated)" : e.pattern());
        }
        for (GrepRun g : perRule) {
            if (g != null && !g.stderr().isBlank()) {
                System.out.println("grep said: " + g.stderr().trim());
            }
        }
        System.out.println("""
                notes: (a), (p) and (b) decode the file to Java strings (UTF-16) line by line; grep scans bytes. The service
                also parses the Kafka record's envelope around each line (raw is an escaped JSON string there), which (a)
                leaves out: bench audit-append measures the whole path.""");
    }

    private static void row(String what, long ms, double mb, long lines) {
        System.out.printf("%-80s %,9d %,10.1f %,12.0f%n", what, ms, mb * 1000 / ms, lines * 1000.0 / ms);
    }

    private static void progress(String what) {
        System.err.println("rules: " + what + " ...");
    }

    // ---------------------------------------------------------------- the corpus

    private static Properties generate(Path corpus, Path statsFile, long targetBytes) throws IOException {
        Files.createDirectories(corpus.getParent());
        Path tmp = corpus.resolveSibling(corpus.getFileName() + ".tmp");
        long t0 = System.nanoTime();
        JobLogLines gen = new JobLogLines(SEED, START);
        long bytes = 0;
        long lines = 0;
        long jobs = 0;
        long planted = 0;
        Map<String, Long> types = new TreeMap<>();
        Map<String, Long> kinds = new TreeMap<>();
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
            while (bytes < targetBytes) {
                JobLogLines.Line line = gen.next();
                byte[] b = line.json().getBytes(StandardCharsets.UTF_8);
                out.write(b);
                out.write('\n');
                bytes += b.length + 1;
                lines++;
                jobs += line.firstOfJob() ? 1 : 0;
                types.merge(line.type(), 1L, Long::sum);
                if (line.planted() != null) {
                    planted++;
                    kinds.merge(line.planted(), 1L, Long::sum);
                }
            }
        }
        Files.move(tmp, corpus, StandardCopyOption.REPLACE_EXISTING);
        Properties p = new Properties();
        p.setProperty("lines", Long.toString(lines));
        p.setProperty("jobs", Long.toString(jobs));
        p.setProperty("planted.lines", Long.toString(planted));
        StringBuilder t = new StringBuilder();
        long total = lines;
        types.forEach((k, v) -> t.append(t.isEmpty() ? "" : ", ").append(k).append(' ')
                .append(String.format("%.1f %%", 100.0 * v / total)));
        p.setProperty("types", t.toString());
        StringBuilder k = new StringBuilder();
        kinds.forEach((kind, v) -> k.append(k.isEmpty() ? "" : ", ").append(kind).append(' ').append(v));
        p.setProperty("planted.kinds", k.toString());
        p.setProperty("generation.ms", Long.toString((System.nanoTime() - t0) / 1_000_000));
        try (var w = Files.newBufferedWriter(statsFile)) {
            p.store(w, "bench rules corpus");
        }
        return p;
    }

    private static Properties load(Path file) throws IOException {
        Properties p = new Properties();
        try (var r = Files.newBufferedReader(file)) {
            p.load(r);
        }
        return p;
    }

    // ---------------------------------------------------------------- the Java passes

    interface Pass {
        void run() throws Exception;
    }

    private static long timed(Pass pass) throws Exception {
        long t0 = System.nanoTime();
        pass.run();
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private static long forEachLine(Path file, long maxLines, Consumer<String> each) {
        long n = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(file),
                StandardCharsets.UTF_8), 1 << 20)) {
            String line;
            while (n < maxLines && (line = in.readLine()) != null) {
                each.accept(line);
                n++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return n;
    }

    private static long sink;

    private static void readOnly(Path file) {
        long[] chars = {0};
        forEachLine(file, Long.MAX_VALUE, l -> chars[0] += l.length());
        sink += chars[0];
    }

    /** Turns lines into output events as the runner would have sent them: a new job at every init line. */
    static final class Events {
        private long job;
        private String jobId = "job-2026-08-01-aaaaaa";
        private String agent = "agent-0";
        private long seq;

        @SuppressWarnings("unchecked")
        JobOutputEmitted next(String line) {
            Map<String, Object> entry;
            try {
                entry = EventJson.mapper().readValue(line, LinkedHashMap.class);
            } catch (IOException e) {
                throw new UncheckedIOException("not a JSON line: " + line, e);
            }
            String type = (String) entry.get("type");
            Object timestamp = entry.remove("timestamp");
            if ("system".equals(type) && "init".equals(entry.get("subtype"))) {
                job++;
                jobId = String.format("job-2026-08-01-%6s", Long.toString(job, 36)).replace(' ', 'a');
                agent = "agent-" + job % 20;
                seq = 0;
            }
            seq++;
            return new JobOutputEmitted("bench", Instant.parse((String) timestamp), JobOutputEmitted.SCHEMA_VERSION,
                    jobId, agent, seq, io.herdctl.events.OutputStream.STDOUT, type, line, false, entry);
        }
    }

    private static Map<String, Long> engine(Path file, long maxLines, DetectionRules rules) {
        Map<String, Long> alerts = new TreeMap<>();
        Events events = new Events();
        forEachLine(file, maxLines, line -> {
            for (AuditAlertRaised a : rules.inspect(events.next(line)).alerts()) {
                alerts.merge(a.ruleId(), 1L, Long::sum);
            }
        });
        return alerts;
    }

    private static void parseOnly(Path file, long maxLines) {
        Events events = new Events();
        long[] sum = {0};
        forEachLine(file, maxLines, line -> {
            JobOutputEmitted e = events.next(line);
            sum[0] += e.seq() + e.entry().size();
        });
        sink += sum[0];
    }

    private static long[] regexOnly(Path file, long maxLines, List<DetectionRules.Rule> rules) {
        Pattern[] patterns = rules.stream().map(DetectionRules.Rule::pattern).toArray(Pattern[]::new);
        long[] counts = new long[patterns.length];
        forEachLine(file, maxLines, line -> {
            for (int i = 0; i < patterns.length; i++) {
                if (patterns[i].matcher(line).find()) {
                    counts[i]++;
                }
            }
        });
        return counts;
    }

    /** Lines and bytes of the whole lines within the first {@code maxBytes} of a file. */
    private static long[] head(Path file, long maxBytes) throws IOException {
        long lines = 0;
        long end = 0;
        long pos = 0;
        byte[] buf = new byte[1 << 20];
        try (var in = Files.newInputStream(file)) {
            int n;
            while (pos < maxBytes && (n = in.read(buf)) > 0) {
                for (int i = 0; i < n && pos < maxBytes; i++) {
                    pos++;
                    if (buf[i] == '\n') {
                        lines++;
                        end = pos;
                    }
                }
            }
        }
        return new long[] {lines, end};
    }

    private record ChildPass(long ms, long alerts) {
    }

    /** (a') in a JVM of its own with the service's flags; it prints "engine-pass <ms> <alerts>". */
    private static ChildPass childEnginePass(Path corpus, long warmLines, long lines)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(SERVICE_FLAGS);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), RuleMatching.class.getName(), ENGINE_PASS,
                corpus.toString(), Long.toString(warmLines), Long.toString(lines)));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = p.waitFor();
        for (String line : out.split("\n")) {
            if (line.startsWith("engine-pass ")) {
                String[] f = line.trim().split(" ");
                return new ChildPass(Long.parseLong(f[1]), Long.parseLong(f[2]));
            }
        }
        throw new IllegalStateException("the engine pass with the service's flags failed (exit " + code + "):\n" + out);
    }

    private static void enginePassChild(Path corpus, long warmLines, long lines) throws Exception {
        List<DetectionRules.Rule> rules = DetectionRules.shipped();
        engine(corpus, warmLines, new DetectionRules(rules));
        Map<String, Long> alerts = new TreeMap<>();
        long ms = timed(() -> alerts.putAll(engine(corpus, lines, new DetectionRules(rules))));
        System.out.println("engine-pass " + ms + " " + alerts.values().stream().mapToLong(Long::longValue).sum());
    }

    // ---------------------------------------------------------------- grep

    private record GrepRun(long ms, long count, String stderr) {
    }

    private static GrepRun grep(Path file, boolean ignoreCase, List<String> patterns) throws IOException,
            InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("grep", "-E", "-c"));
        if (ignoreCase) {
            cmd.add("-i");
        }
        for (String p : patterns) {
            cmd.add("-e");
            cmd.add(p);
        }
        cmd.add(file.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("LC_ALL", "C");
        Path err = Files.createTempFile("bench-grep-", ".err");
        pb.redirectError(err.toFile());
        long t0 = System.nanoTime();
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        int code = p.waitFor();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        String stderr = Files.readString(err);
        Files.deleteIfExists(err);
        if (code > 1) {
            throw new IllegalStateException("grep failed (exit " + code + "): " + stderr + " for " + cmd);
        }
        return new GrepRun(ms, Long.parseLong(out), stderr);
    }

    /**
     * A Java regular expression as a POSIX ERE for GNU grep, with what could not be
     * carried over exactly. Line-based matching (grep's) makes a few translations
     * exact that would not be in general: a lazy quantifier matches the same lines as
     * the greedy one, {@code [\s\S]} and {@code [^\n]} are any character within a line.
     */
    record Ere(String pattern, boolean ignoreCase, List<String> notes) {

        static Ere of(Pattern java) {
            Set<String> notes = new LinkedHashSet<>();
            boolean ignoreCase = (java.flags() & Pattern.CASE_INSENSITIVE) != 0;
            try {
                return new Ere(translate(java.pattern(), notes), ignoreCase, List.copyOf(notes));
            } catch (IllegalArgumentException e) {
                notes.add(e.getMessage());
                return new Ere(null, ignoreCase, List.copyOf(notes));
            }
        }

        private static final String ERE_SPECIAL = ".[]{}()*+?|^$\\";
        /** Marks a note on a translation that may match other lines than the Java pattern. */
        static final String APPROX = "approximate: ";

        boolean exact() {
            return pattern != null && notes.stream().noneMatch(n -> n.startsWith(APPROX));
        }

        static String translate(String re, Set<String> notes) {
            StringBuilder out = new StringBuilder();
            int i = 0;
            while (i < re.length()) {
                char c = re.charAt(i);
                if (c == '\\') {
                    char d = at(re, i + 1);
                    i += 2;
                    switch (d) {
                        case 'd' -> out.append("[0-9]");
                        case 'D' -> out.append("[^0-9]");
                        case 's' -> out.append("[[:space:]]");
                        case 'S' -> out.append("[^[:space:]]");
                        case 'w' -> out.append("[[:alnum:]_]");
                        case 'W' -> out.append("[^[:alnum:]_]");
                        case 'b' -> {
                            out.append("\\b");
                            notes.add(APPROX + "\\b kept (see above)");
                        }
                        case 'B' -> out.append("\\B");
                        case 't' -> out.append('\t');
                        default -> {
                            if (Character.isLetterOrDigit(d)) {
                                throw new IllegalArgumentException("\\" + d + " has no ERE equivalent");
                            }
                            out.append(ERE_SPECIAL.indexOf(d) >= 0 ? "\\" + d : String.valueOf(d));
                        }
                    }
                } else if (c == '[') {
                    i = bracket(re, i, out, notes);
                } else if (c == '(' && at(re, i + 1) == '?') {
                    if (at(re, i + 2) != ':') {
                        throw new IllegalArgumentException("(?" + at(re, i + 2) + " (look-around or inline flag) has no ERE"
                                + " equivalent");
                    }
                    out.append('(');
                    notes.add("(?:...) -> (...)");
                    i += 3;
                } else if (c == '*' || c == '+' || c == '?' || c == '}') {
                    out.append(c);
                    i++;
                    if (at(re, i) == '?') {
                        notes.add("lazy -> greedy");
                        i++;
                    } else if (at(re, i) == '+') {
                        throw new IllegalArgumentException("possessive quantifier " + c + "+ has no ERE equivalent");
                    }
                } else {
                    out.append(c);
                    i++;
                }
            }
            return out.toString();
        }

        /** One bracket expression from {@code re[start] == '['}; returns the index after it. */
        private static int bracket(String re, int start, StringBuilder out, Set<String> notes) {
            int i = start + 1;
            boolean negated = at(re, i) == '^';
            if (negated) {
                i++;
            }
            List<String> classes = new ArrayList<>();
            StringBuilder items = new StringBuilder();
            boolean rightBracket = false;
            boolean dash = false;
            boolean caret = false;
            boolean newline = false;
            boolean anyWhite = false;
            boolean anyNonWhite = false;
            while (i < re.length() && re.charAt(i) != ']') {
                char c = re.charAt(i);
                if (c == '[') {
                    throw new IllegalArgumentException("nested or intersected character classes have no ERE equivalent");
                }
                if (c == '\\') {
                    char d = at(re, i + 1);
                    i += 2;
                    switch (d) {
                        case 's' -> {
                            classes.add("[:space:]");
                            anyWhite = true;
                        }
                        case 'S' -> anyNonWhite = true;
                        case 'd' -> classes.add("[:digit:]");
                        case 'w' -> {
                            classes.add("[:alnum:]");
                            items.append('_');
                        }
                        case 'n' -> newline = true;
                        case 't' -> items.append('\t');
                        case ']' -> rightBracket = true;
                        case '-' -> dash = true;
                        case '^' -> caret = true;
                        default -> {
                            if (Character.isLetterOrDigit(d)) {
                                throw new IllegalArgumentException("\\" + d + " in a character class has no ERE equivalent");
                            }
                            items.append(d); // \\ becomes a plain backslash: a bracket takes it literally
                        }
                    }
                    continue;
                }
                if (c == '-' && (items.isEmpty() && classes.isEmpty() || at(re, i + 1) == ']')) {
                    dash = true;
                } else if (c == '^') {
                    caret = true;
                } else {
                    items.append(c);
                }
                i++;
            }
            if (i >= re.length()) {
                throw new IllegalArgumentException("unterminated character class");
            }
            i++; // the closing ]
            if (anyWhite && anyNonWhite && !negated && items.isEmpty() && classes.size() == 1) {
                out.append('.');
                notes.add("[\\s\\S] -> .");
                return i;
            }
            if (anyNonWhite) {
                throw new IllegalArgumentException("\\S inside a character class has no ERE equivalent");
            }
            if (newline) {
                if (!negated) {
                    throw new IllegalArgumentException("a newline cannot occur within one grep line");
                }
                notes.add("[^\\n] -> .");
                if (items.isEmpty() && classes.isEmpty() && !dash && !caret && !rightBracket) {
                    out.append('.');
                    return i;
                }
            }
            out.append('[');
            if (negated) {
                out.append('^');
            }
            if (rightBracket) {
                out.append(']');
            }
            classes.forEach(out::append);
            out.append(items);
            if (caret) {
                out.append('^');
            }
            if (dash) {
                out.append('-');
            }
            out.append(']');
            if (items.indexOf("\\") >= 0) {
                notes.add("\\\\ in [...] -> \\");
            }
            return i;
        }

        private static char at(String s, int i) {
            return i < s.length() ? s.charAt(i) : '\0';
        }
    }
}
