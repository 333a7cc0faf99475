package io.herdctl.audit.domain;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.herdctl.events.AuditAlertRaised;
import io.herdctl.events.EventIds;
import io.herdctl.events.EventJson;
import io.herdctl.events.JobOutputEmitted;
import io.herdctl.events.Severity;

/**
 * The checks the seed asks operators to run by hand with grep, run on every
 * line as it arrives, from a rules file (the shipped {@code detection-rules.yaml}
 * unless replaced, plus any extra rules). An alert's id derives from job, line
 * and rule, so a line seen twice raises the same alert, which a SIEM can drop.
 * A rule with a threshold alerts on the line that completes the count within
 * its window, per job. The runner's skill-scan lines raise their own alert and
 * no rule ({@link SkillScanAlerts}).
 *
 * <p>Most lines match no rule, so each rule first checks its <em>hints</em>:
 * literal strings at least one of which every match of its regex contains
 * (computed by {@link LiteralHints} from the regex; compared ASCII-case-folded
 * for a case-insensitive rule). A subject that contains none of them cannot
 * match, and the regex is not run on it; a rule whose regex yields no usable
 * hints always runs it. A rules file may give them itself, under {@code match}:
 * <pre>
 *   match:
 *     regex: '\bnc(?:at)?\b[^\n]*\s-e\s'
 *     hints: [nc]      # optional; replaces the computed hints for this rule
 * </pre>
 * {@code hints} is a list of non-empty strings; every string the regex can match
 * must contain one of them (or the rule misses what it should find), and an empty
 * list turns the prefilter off for the rule. Each line's subjects (raw, text,
 * tool input) are built once per line, and folded once when a rule needs it.
 */
public final class DetectionRules {

    /** Where a rule looks: the whole line, the entry's text, or a tool call's input. */
    public enum Subject {
        RAW, TEXT, TOOL_INPUT
    }

    /** At least {@code count} matching lines within {@code window}, per job. */
    public record Threshold(int count, Duration window) {
    }

    /**
     * One rule: what to look at, the pattern, and what to call a match. A rule
     * with {@code redact} also masks what it matches, everywhere in the line,
     * with {@code [REDACTED:<rule id>]} before the line is stored or shown.
     * {@code hints}: null to compute them from the pattern, else the rules file's
     * own (empty: no prefilter).
     */
    public record Rule(String id, String title, Severity severity, Pattern pattern, Subject on, Set<String> types,
            String tool, Pattern unless, Threshold threshold, boolean redact, List<String> hints) {

        /** A rule on the whole line, every type, no threshold, hints computed. */
        public static Rule simple(String id, String title, Severity severity, Pattern pattern) {
            return new Rule(id, title, severity, pattern, Subject.RAW, Set.of(), null, null, null, false, null);
        }

        public String mask() {
            return MASK_PREFIX + id + "]";
        }
    }

    /** What the rules made of a line: the alerts it raised and the line as it may be kept (secrets masked). */
    public record Inspection(List<AuditAlertRaised> alerts, JobOutputEmitted line) {
    }

    /** A rules file that cannot be used, with the place and the reason. */
    public static final class RulesException extends IllegalArgumentException {
        RulesException(String message) {
            super(message);
        }
    }

    public static final String SHIPPED = "detection-rules.yaml";
    /** How every mask starts, the runner's ({@code [REDACTED:github-token]}) and the rules' alike. */
    public static final String MASK_PREFIX = "[REDACTED:";
    static final int EXCERPT_CHARS = 300;
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern ID = Pattern.compile("^[a-z0-9][a-z0-9-]*$");

    private final List<Rule> rules;
    private final List<Rule> redacting;
    /** Per rule (same index as {@link #rules}), and per redacting rule: the hints checked before the regex. */
    private final Prefilter[] filters;
    private final Prefilter[] redactFilters;
    private final Map<String, Deque<Instant>> recent = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Deque<Instant>> eldest) {
            return size() > 10_000;
        }
    };

    public DetectionRules(List<Rule> rules) {
        Set<String> ids = new HashSet<>();
        for (Rule r : rules) {
            if (!ids.add(r.id())) {
                throw new RulesException("rule id \"" + r.id() + "\" is used twice");
            }
        }
        this.rules = List.copyOf(rules);
        this.redacting = rules.stream().filter(Rule::redact).toList();
        this.filters = this.rules.stream().map(Prefilter::of).toArray(Prefilter[]::new);
        this.redactFilters = this.redacting.stream().map(Prefilter::of).toArray(Prefilter[]::new);
    }

    /**
     * A rule's hints as compared ({@link LiteralHints#fold folded} for a case-insensitive
     * rule); {@code fold}: whether the subject is folded first. No hints: the regex always runs.
     */
    record Prefilter(String[] hints, boolean fold) {
        static final Prefilter NONE = new Prefilter(null, false);

        static Prefilter of(Rule rule) {
            boolean ci = (rule.pattern().flags() & Pattern.CASE_INSENSITIVE) != 0;
            List<String> hints = rule.hints() != null ? rule.hints()
                    : LiteralHints.required(rule.pattern()).orElse(List.of());
            if (hints.isEmpty()) {
                return NONE;
            }
            return new Prefilter(hints.stream().map(h -> ci ? LiteralHints.fold(h) : h).distinct()
                    .toArray(String[]::new), ci);
        }

        /** Whether the regex may match {@code subject}; {@code folded}, when not null, is its folded form. */
        boolean admits(String subject, String folded) {
            return hints == null || LiteralHints.admits(hints, fold ? folded : subject);
        }
    }

    /** The hints a rule's regex is prefiltered with (as compared); empty when it always runs. */
    List<String> hints(String ruleId) {
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i).id().equals(ruleId)) {
                String[] h = filters[i].hints();
                return h == null ? List.of() : List.of(h);
            }
        }
        throw new IllegalArgumentException("no rule " + ruleId);
    }

    public List<Rule> rules() {
        return rules;
    }

    /** The rules shipped with the service. */
    public static List<Rule> shipped() {
        try (InputStream in = DetectionRules.class.getClassLoader().getResourceAsStream(SHIPPED)) {
            if (in == null) {
                throw new IllegalStateException(SHIPPED + " is missing from the service");
            }
            return parse(in, SHIPPED);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a rules file; every problem names the file, the rule and the field. */
    public static List<Rule> parse(InputStream in, String source) throws IOException {
        JsonNode root;
        try {
            root = YAML.readTree(in);
        } catch (IOException e) {
            throw new RulesException(source + ": not valid YAML: " + e.getMessage());
        }
        if (root == null || !root.path("rules").isArray()) {
            throw new RulesException(source + ": expected a top-level \"rules:\" list");
        }
        List<Rule> out = new ArrayList<>();
        int i = 0;
        for (JsonNode r : root.path("rules")) {
            String where = source + ": rules[" + i++ + "]";
            String id = text(r, "id", where, true);
            if (!ID.matcher(id).matches()) {
                throw new RulesException(where + ".id: \"" + id + "\" must be lower-case letters, digits and -");
            }
            where = where + " (" + id + ")";
            String title = text(r, "title", where, true);
            Severity severity;
            try {
                severity = Severity.fromWire(text(r, "severity", where, true).toLowerCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new RulesException(where + ".severity: use info, low, medium, high or critical");
            }
            JsonNode match = r.path("match");
            if (!match.isObject()) {
                throw new RulesException(where + ".match: required, with at least a regex");
            }
            int flags = match.path("case_sensitive").asBoolean(false) ? 0 : Pattern.CASE_INSENSITIVE;
            Pattern pattern = regex(text(match, "regex", where + ".match", true), flags, where + ".match.regex");
            String unlessText = text(match, "unless", where + ".match", false);
            Pattern unless = unlessText == null ? null : regex(unlessText, Pattern.CASE_INSENSITIVE, where + ".match.unless");
            Subject on;
            String onText = text(match, "on", where + ".match", false);
            try {
                on = onText == null ? Subject.RAW : Subject.valueOf(onText.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new RulesException(where + ".match.on: \"" + onText + "\" is not raw, text or tool_input");
            }
            Set<String> types = new HashSet<>();
            match.path("types").forEach(t -> types.add(t.asText()));
            Threshold threshold = null;
            if (r.has("threshold")) {
                JsonNode t = r.path("threshold");
                int count = t.path("count").asInt(0);
                Duration window = duration(t.path("window").asText(""), where + ".threshold.window");
                if (count < 2) {
                    throw new RulesException(where + ".threshold.count: at least 2");
                }
                threshold = new Threshold(count, window);
            }
            JsonNode redact = r.get("redact");
            if (redact != null && !redact.isBoolean()) {
                throw new RulesException(where + ".redact: expected true or false");
            }
            out.add(new Rule(id, title, severity, pattern, on, Set.copyOf(types), text(match, "tool", where + ".match",
                    false), unless, threshold, redact != null && redact.asBoolean(), hintsField(match, where + ".match")));
        }
        return out;
    }

    /** {@code hints: [a, b]}: null when absent; each a non-empty string. */
    private static List<String> hintsField(JsonNode match, String where) {
        JsonNode h = match.get("hints");
        if (h == null || h.isNull()) {
            return null;
        }
        if (!h.isArray()) {
            throw new RulesException(where + ".hints: expected a list of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : h) {
            if (!e.isValueNode() || e.isNull() || e.asText().isEmpty()) {
                throw new RulesException(where + ".hints[" + out.size() + "]: expected a non-empty string");
            }
            out.add(e.asText());
        }
        return List.copyOf(out);
    }

    private static String text(JsonNode node, String field, String where, boolean required) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new RulesException(where + "." + field + ": required");
            }
            return null;
        }
        if (!v.isValueNode()) {
            throw new RulesException(where + "." + field + ": expected a string");
        }
        return v.asText();
    }

    private static Pattern regex(String text, int flags, String where) {
        try {
            return Pattern.compile(text, flags);
        } catch (PatternSyntaxException e) {
            throw new RulesException(where + ": not a valid regular expression: " + e.getDescription() + " near index "
                    + e.getIndex());
        }
    }

    private static Duration duration(String text, String where) {
        Matcher m = Pattern.compile("^(\\d+)(s|m|h)$").matcher(text);
        if (!m.matches()) {
            throw new RulesException(where + ": \"" + text + "\" is not a duration such as 60s, 5m or 1h");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    /** The alerts a line raises (see {@link #inspect}). */
    public List<AuditAlertRaised> evaluate(JobOutputEmitted line) {
        return inspect(line).alerts();
    }

    /**
     * Runs every rule on a line as it arrived, and masks what the redacting rules
     * match in its raw text and in every string of its entry. Excerpts are cut
     * from the masked line, so an alert never carries the secret it reports.
     */
    public synchronized Inspection inspect(JobOutputEmitted line) {
        JobOutputEmitted clean = redact(line);
        Optional<AuditAlertRaised> flagged = SkillScanAlerts.of(clean);
        if (flagged.isPresent()) {
            // The runner's report of a red flag quotes a file, not an act of the agent: judged by the flag alone.
            return new Inspection(List.of(flagged.get()), clean);
        }
        List<AuditAlertRaised> alerts = new ArrayList<>();
        Subjects subjects = new Subjects(line);
        Subjects cleanSubjects = clean == line ? subjects : null;
        for (int i = 0; i < rules.size(); i++) {
            Rule rule = rules.get(i);
            if (!rule.types().isEmpty() && !rule.types().contains(line.type())) {
                continue;
            }
            if (rule.tool() != null && !rule.tool().equals(line.entry().get("tool_name"))) {
                continue;
            }
            String subject = subjects.get(rule.on());
            if (subject == null) {
                continue;
            }
            Prefilter filter = filters[i];
            if (!filter.admits(subject, filter.fold() ? subjects.folded(rule.on()) : null)) {
                continue;
            }
            if (!rule.pattern().matcher(subject).find()
                    || rule.unless() != null && rule.unless().matcher(subject).find()) {
                continue;
            }
            if (rule.threshold() != null && !thresholdReached(rule, line)) {
                continue;
            }
            if (cleanSubjects == null) {
                cleanSubjects = new Subjects(clean);
            }
            alerts.add(new AuditAlertRaised(EventIds.derived(line.jobId(), Long.toString(line.seq()), rule.id()),
                    Instant.now(), AuditAlertRaised.SCHEMA_VERSION, line.jobId(), line.agent(), line.seq(), rule.id(),
                    rule.title(), rule.severity(), excerpt(rule, cleanSubjects.get(rule.on())), line.time()));
        }
        return new Inspection(List.copyOf(alerts), clean);
    }

    /** A line's subjects, each built once (the tool input is serialised at most once), and folded once if asked. */
    private static final class Subjects {
        private static final int KINDS = Subject.values().length;
        private final JobOutputEmitted line;
        private final String[] text = new String[KINDS];
        private final boolean[] built = new boolean[KINDS];
        private final String[] folded = new String[KINDS];

        Subjects(JobOutputEmitted line) {
            this.line = line;
        }

        String get(Subject on) {
            int k = on.ordinal();
            if (!built[k]) {
                text[k] = subject(on, line);
                built[k] = true;
            }
            return text[k];
        }

        String folded(Subject on) {
            int k = on.ordinal();
            if (folded[k] == null) {
                folded[k] = LiteralHints.fold(get(on));
            }
            return folded[k];
        }
    }

    /** The line with what the redacting rules match masked; the same line when nothing matched. */
    public JobOutputEmitted redact(JobOutputEmitted line) {
        if (redacting.isEmpty()) {
            return line;
        }
        String raw = redact(line.raw());
        @SuppressWarnings("unchecked")
        Map<String, Object> entry = (Map<String, Object>) redactValue(line.entry());
        if (raw == line.raw() && entry == line.entry()) {
            return line;
        }
        return new JobOutputEmitted(line.eventId(), line.time(), line.schemaVersion(), line.jobId(), line.agent(),
                line.seq(), line.stream(), line.type(), raw, line.truncated(), entry);
    }

    /** The text with every redacting rule's matches masked (masks already there are kept as they are). */
    public String redact(String text) {
        String out = text;
        String folded = null;
        for (int i = 0; i < redacting.size(); i++) {
            Rule rule = redacting.get(i);
            Prefilter filter = redactFilters[i];
            if (filter.fold() && folded == null) {
                folded = LiteralHints.fold(out);
            }
            if (!filter.admits(out, folded)) {
                continue; // no hint in the text: the pattern cannot match it
            }
            Matcher m = rule.pattern().matcher(out);
            if (!m.find()) {
                continue;
            }
            StringBuilder sb = new StringBuilder(out.length());
            int from = 0;
            do {
                if (m.group().startsWith(MASK_PREFIX)) {
                    continue;
                }
                sb.append(out, from, m.start()).append(rule.mask());
                from = m.end();
            } while (m.find());
            if (from > 0) {
                out = sb.append(out, from, out.length()).toString();
                folded = null;
            }
        }
        return out;
    }

    /** Strings masked, maps and lists rebuilt only where something changed (the same object otherwise). */
    private Object redactValue(Object value) {
        if (value instanceof String s) {
            return redact(s);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = null;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                Object v = redactValue(e.getValue());
                if (v != e.getValue() && copy == null) {
                    copy = new LinkedHashMap<>();
                    for (Map.Entry<?, ?> before : map.entrySet()) {
                        if (before.getKey().equals(e.getKey())) {
                            break;
                        }
                        copy.put(String.valueOf(before.getKey()), before.getValue());
                    }
                }
                if (copy != null) {
                    copy.put(String.valueOf(e.getKey()), v);
                }
            }
            return copy == null ? value : copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = null;
            for (int i = 0; i < list.size(); i++) {
                Object v = redactValue(list.get(i));
                if (v != list.get(i) && copy == null) {
                    copy = new ArrayList<>(list.subList(0, i));
                }
                if (copy != null) {
                    copy.add(v);
                }
            }
            return copy == null ? value : copy;
        }
        return value;
    }

    static String subject(Subject on, JobOutputEmitted line) {
        return switch (on) {
            case RAW -> line.raw();
            case TEXT -> {
                Object text = line.entry().getOrDefault("content",
                        line.entry().getOrDefault("message", line.entry().getOrDefault("result", line.entry().get("error"))));
                yield text == null ? null : String.valueOf(text);
            }
            case TOOL_INPUT -> {
                Object input = line.entry().get("input");
                yield input == null ? null : input instanceof String s ? s : EventJson.write(input);
            }
        };
    }

    private boolean thresholdReached(Rule rule, JobOutputEmitted line) {
        Deque<Instant> times = recent.computeIfAbsent(line.jobId() + "\u001f" + rule.id(), k -> new ArrayDeque<>());
        times.addLast(line.time());
        Instant since = line.time().minus(rule.threshold().window());
        while (!times.isEmpty() && times.peekFirst().isBefore(since)) {
            times.pollFirst();
        }
        if (times.size() >= rule.threshold().count()) {
            times.clear();
            return true;
        }
        return false;
    }

    /** Lines of a job never reached the log: its record is incomplete, which a security team must know. */
    public static AuditAlertRaised gap(JobOutputEmitted line, long firstMissing) {
        long missing = line.seq() - firstMissing;
        return new AuditAlertRaised(EventIds.derived(line.jobId(), Long.toString(line.seq()), "output-gap"),
                Instant.now(), AuditAlertRaised.SCHEMA_VERSION, line.jobId(), line.agent(), line.seq(),
                "output-gap", "Job output lines are missing from the audit log", Severity.HIGH,
                missing + " line(s) before sequence number " + line.seq() + " (from " + firstMissing + ") were never received",
                line.time());
    }

    /** Where the rule matches in the masked subject (its own mask, for a redacting rule), with context. */
    private static String excerpt(Rule rule, String clean) {
        if (clean == null) {
            return null;
        }
        Matcher m = rule.pattern().matcher(clean);
        if (m.find()) {
            return excerpt(clean, m.start(), m.end());
        }
        int mask = clean.indexOf(rule.mask());
        return mask >= 0 ? excerpt(clean, mask, mask + rule.mask().length()) : excerpt(clean, 0, 0);
    }

    /** The last lines of a job never reached the log, though the job said how many it wrote. */
    public static AuditAlertRaised tailGap(String jobId, String agent, long firstMissing, long lastLine, Instant time) {
        return new AuditAlertRaised(EventIds.derived(jobId, Long.toString(lastLine), "output-gap"), Instant.now(),
                AuditAlertRaised.SCHEMA_VERSION, jobId, agent, lastLine, "output-gap",
                "Job output lines are missing from the audit log", Severity.HIGH,
                (lastLine - firstMissing + 1) + " line(s) from sequence number " + firstMissing + " to " + lastLine
                        + " were never received; the job ended with " + lastLine + " lines",
                time);
    }

    /** The match with some context around it. */
    static String excerpt(String text, int start, int end) {
        int half = Math.max(0, (EXCERPT_CHARS - (end - start)) / 2);
        int from = Math.max(0, start - half);
        int to = Math.min(text.length(), end + half);
        return (from > 0 ? "…" : "") + text.substring(from, to) + (to < text.length() ? "…" : "");
    }
}
