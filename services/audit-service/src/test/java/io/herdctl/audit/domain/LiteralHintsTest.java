package io.herdctl.audit.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.herdctl.audit.domain.DetectionRules.Rule;
import io.herdctl.audit.domain.DetectionRules.Subject;
import io.herdctl.audit.domain.LiteralHints.Alt;
import io.herdctl.audit.domain.LiteralHints.Any;
import io.herdctl.audit.domain.LiteralHints.Chars;
import io.herdctl.audit.domain.LiteralHints.Node;
import io.herdctl.audit.domain.LiteralHints.Repeat;
import io.herdctl.audit.domain.LiteralHints.Seq;
import io.herdctl.audit.domain.LiteralHints.ZeroWidth;
import io.herdctl.events.EventJson;
import io.herdctl.events.JobOutputEmitted;

class LiteralHintsTest {

    /** Shipped rules whose regex yields no hint of at least 3 characters (they always run their regex). */
    static final Set<String> NO_HINTS = Set.of(
            // every literal is optional, in a look-around, or short: \b(?:curl|wget|nc|...)\b, (?:https?://|@|\s)
            "network-tool-outside-whitelist",
            // the nc branch, \bnc(?:at)?\b[^\n]*\s-[a-z]*e\s, requires only "nc"
            "reverse-shell");

    static Optional<List<String>> hints(String regex) {
        return LiteralHints.required(regex, false);
    }

    static Optional<List<String>> hintsI(String regex) {
        return LiteralHints.required(regex, true);
    }

    static Optional<List<String>> some(String... strings) {
        return Optional.of(List.of(strings));
    }

    // ---------------------------------------------------------------- the analysis, case by case

    static Stream<Arguments> found() {
        return Stream.of(
                // plain literals, escapes, case folding
                Arguments.of("permission denied", true, List.of("permission denied")),
                Arguments.of("DOCKER_HOST", true, List.of("docker_host")),
                Arguments.of("DOCKER_HOST", false, List.of("DOCKER_HOST")),
                Arguments.of("169\\.254\\.169\\.254", true, List.of("169.254.169.254")),
                Arguments.of("a\\/b\\[c\\]d\\$e\\(f\\)g\\+h\\*i\\?j\\{k\\}l\\|m\\\\n\\^o", false,
                        List.of("a/b[c]d$e(f)g+h*i?j{k}l|m\\n^o")),
                Arguments.of("tab\\there", false, List.of("tab\there")),
                Arguments.of("a]b}c", false, List.of("a]b}c")),
                Arguments.of("\\Qa.b*c\\E", false, List.of("a.b*c")),
                // alternation, top level and nested
                Arguments.of("abc|def|ghi", false, List.of("abc", "def", "ghi")),
                Arguments.of("\\bEACCES\\b|\\bEPERM\\b|read-only file system", true,
                        List.of("eacces", "eperm", "read-only file system")),
                Arguments.of("x(?:abc|def)y", false, List.of("xabcy", "xdefy")),
                Arguments.of("(?:(?:abc|abd)|(?:xyz))", false, List.of("abc", "abd", "xyz")),
                Arguments.of("stratum\\+(?:tcp|ssl)://", true, List.of("stratum+")),
                Arguments.of("(abc)(?<name>def)", false, List.of("abcdef")),
                Arguments.of("(?>abc)", false, List.of("abc")),
                // a branch without a good literal makes the union weak; the sequence takes another item
                Arguments.of("\\b(?:curl|wget|nc)\\b.*--upload-file", true, List.of("--upload-file")),
                Arguments.of("(?:^|[\\s;|&\"(])(?:sudo|doas|pkexec)\\b", true, List.of("sudo", "doas", "pkexec")),
                // the union is only as good as its weakest branch: the others take their smallest set
                Arguments.of("\\b(?:curl|wget)\\b.*-d|\\b(?:curl|wget)\\b.*\\$\\((?:env|printenv)", true,
                        List.of("curl", "wget")),
                // optional parts: not required, but "x or nothing" multiplies into the run
                Arguments.of("herdctl\\.ya?ml", true, List.of("herdctl.y")),
                Arguments.of("colou?r", false, List.of("colour", "color")),
                Arguments.of("ab{0,3}cde", false, List.of("cde")),
                Arguments.of("abc(?:xyz)*def", false, List.of("abc")),
                Arguments.of("abcd(?:xyz)?", false, List.of("abcd")),
                // one or more: the first copy ends a run, the last one starts the next
                Arguments.of("abc+de", false, List.of("abc")),
                Arguments.of("x+abcd", false, List.of("xabcd")),
                Arguments.of("(?:abc)+def", false, List.of("abcdef")),
                Arguments.of("ab{2,}cd", false, List.of("bcd")),
                Arguments.of("abc{2}d", false, List.of("abccd")),
                Arguments.of("abcc*?de|abc++d", false, List.of("abc")),
                // character classes: small ones are alternatives, large ones end a run
                Arguments.of("\\bgh[pousr]_[A-Za-z0-9]{30,}", false, List.of("gho_", "ghp_", "ghr_", "ghs_", "ghu_")),
                Arguments.of("x[A-C]yz", true, List.of("xayz", "xbyz", "xcyz")),
                Arguments.of("abc[a-z]+defg", false, List.of("defg")),
                Arguments.of("abc[^x]defg", false, List.of("defg")),
                Arguments.of("[]a]bc", false, List.of("]bc", "abc")),
                Arguments.of("sudo\\s", false, List.of("sudo ", "sudo\t", "sudo\n", "sudo\u000B", "sudo\f", "sudo\r")),
                Arguments.of("abc\\dxyz\\w+", false, List.of("abc0xyz", "abc1xyz", "abc2xyz", "abc3xyz", "abc4xyz",
                        "abc5xyz", "abc6xyz", "abc7xyz", "abc8xyz", "abc9xyz")),
                Arguments.of("abcd\\Sxyz", false, List.of("abcd")),
                Arguments.of("ab.cdef", false, List.of("cdef")),
                Arguments.of("ab\\p{Alpha}cdef|\\pLxyz", false, List.of("cdef", "xyz")),
                // zero width: \b ^ $ \B and look-arounds add nothing and break nothing
                Arguments.of("^abc\\Bdef\\b$", false, List.of("abcdef")),
                Arguments.of("hello(?=world)", false, List.of("hello")),
                Arguments.of("(?<!x)abc(?!yyyy)def", false, List.of("abcdef")),
                Arguments.of("(?<=secret)abc", false, List.of("abc")),
                Arguments.of("(?<=\\b(?:curl|wget)\\b.{1,40})abcd", false, List.of("abcd")),
                // redundant strings dropped (a subject with "/environ" has "env")
                Arguments.of("printenv|env|/proc/self/environ", true, List.of("env")),
                // a supplementary character is one item for a quantifier
                Arguments.of("\uD83D\uDE00?abc", false, List.of("abc")),
                // a class that is not modelled is just not a literal
                Arguments.of("[\\s-a]bcd", false, List.of("bcd")),
                Arguments.of("\\w+@\\w+\\.com", true, List.of(".com")));
    }

    @ParameterizedTest(name = "{0} ci={1}")
    @MethodSource("found")
    void findsTheRequiredLiterals(String regex, boolean ci, List<String> expected) {
        assertEquals(Optional.of(expected), LiteralHints.required(regex, ci), regex);
    }

    static Stream<String> givesUp() {
        return Stream.of(".*", "[a-z]+", "a?b?", "(abc)\\1", "(?<n>abc)\\k<n>", "(?i)abc", "(?i:abc)", "(?-i)abc",
                "(?s)abc", "(?x)a b c", "abc|d", "abc|.*", "ab", "ab+c", "\\bnc\\b", "(?:abc)?", "(?:abc)*", "(?:abc){0,2}",
                "abc|(?:def)?", "\\x41bcd", "\\u0041bcd", "\\0101bcd", "\\cAbcd", "\\N{LATIN SMALL LETTER A}bcd",
                "abc[a[b]]", "abc[a&&b]", "abc{2}{3}", "\\b{g}abc", "(?=abc)", "(?!abc)x", "^$", "", "[abc]+",
                "\\Q\\Eabc");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("givesUp")
    void givesUpWhenItCannotProveARequirement(String regex) {
        Pattern.compile(regex); // each is a valid Java regex
        assertEquals(Optional.empty(), hints(regex), regex);
        assertEquals(Optional.empty(), hintsI(regex), regex);
    }

    @Test
    void givesUpOnFlagsItDoesNotModel() {
        assertEquals(some("abc"), LiteralHints.required(Pattern.compile("ABC", Pattern.CASE_INSENSITIVE)));
        assertEquals(some("ABC"), LiteralHints.required(Pattern.compile("ABC")));
        assertEquals(some("abc"), LiteralHints.required(Pattern.compile("abc", Pattern.MULTILINE | Pattern.DOTALL)));
        for (int flag : new int[] {Pattern.UNICODE_CASE, Pattern.COMMENTS, Pattern.LITERAL, Pattern.CANON_EQ,
                Pattern.UNICODE_CHARACTER_CLASS}) {
            assertEquals(Optional.empty(), LiteralHints.required(Pattern.compile("abc", Pattern.CASE_INSENSITIVE | flag)),
                    "flag " + flag);
        }
    }

    @Test
    void foldsOnlyAsciiLettersLikeCaseInsensitiveMatching() {
        assertEquals("abc-xyz_0 é É ſ \u212A İ", LiteralHints.fold("ABC-xYz_0 é É ſ \u212A İ"));
        String plain = "already lower";
        assertTrue(LiteralHints.fold(plain) == plain);
        // what the fold leaves alone, CASE_INSENSITIVE (without UNICODE_CASE) does not match either
        assertFalse(Pattern.compile("k", Pattern.CASE_INSENSITIVE).matcher("\u212A").find());
        assertFalse(Pattern.compile("é", Pattern.CASE_INSENSITIVE).matcher("É").find());
        assertFalse(Pattern.compile("i", Pattern.CASE_INSENSITIVE).matcher("İ").find());
    }

    // ---------------------------------------------------------------- the shipped rules

    @Test
    void everyShippedRuleHasHintsUnlessItCannot() {
        DetectionRules engine = new DetectionRules(DetectionRules.shipped());
        Map<String, List<String>> all = new LinkedHashMap<>();
        for (Rule r : DetectionRules.shipped()) {
            List<String> h = engine.hints(r.id());
            all.put(r.id(), h);
            if (!NO_HINTS.contains(r.id())) {
                assertFalse(h.isEmpty(), r.id() + " should have hints: " + r.pattern().pattern());
                assertTrue(h.stream().allMatch(s -> s.length() >= LiteralHints.MIN_LENGTH), r.id() + ": " + h);
            }
        }
        all.forEach((id, h) -> System.out.println("hints " + id + ": " + (h.isEmpty() ? "(none: the regex always runs)"
                : h.stream().map(s -> '"' + s.replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")
                        .replace("\f", "\\f").replace("\u000B", "\\x0B") + '"').toList())));
        assertEquals(List.of("eacces", "eperm", "permission denied", "read-only file system", "erofs"),
                all.get("permission-denied"));
        assertEquals(List.of("--dangerously-skip-permissions"), all.get("skip-permissions"));
    }

    /** Each shipped rule, each subject of each example line (hits and misses): a match implies a hint. */
    @Test
    void thePrefilterAdmitsEveryExampleTheRegexMatches() {
        DetectionRules engine = new DetectionRules(DetectionRules.shipped());
        int matched = 0;
        for (JobOutputEmitted line : exampleLines()) {
            for (Rule r : engine.rules()) {
                for (Subject on : Subject.values()) {
                    String subject = DetectionRules.subject(on, line);
                    if (subject != null && r.pattern().matcher(subject).find()) {
                        matched++;
                        assertTrue(admits(engine, r, subject), r.id() + " on " + on + " of " + line.raw());
                    }
                }
            }
        }
        assertTrue(matched >= DetectionRulesTest.cases().count(), "matches seen: " + matched);
    }

    /** The engine with hints raises exactly what it raises without (every rule with {@code hints: []}). */
    @Test
    void theEngineRaisesTheSameAlertsWithAndWithoutThePrefilter() {
        List<JobOutputEmitted> lines = new ArrayList<>(exampleLines());
        Random rnd = new Random(7);
        for (Rule r : DetectionRules.shipped()) {
            Node tree = parse(r.pattern());
            for (int i = 0; i < 40 && tree != null; i++) {
                String s = noise(rnd) + generate(tree, rnd, ci(r.pattern())) + noise(rnd);
                lines.add(DetectionRulesTest.text("tool_result", s));
                lines.add(DetectionRulesTest.bash(s));
            }
        }
        DetectionRules with = new DetectionRules(DetectionRules.shipped());
        DetectionRules without = new DetectionRules(DetectionRules.shipped().stream().map(r -> new Rule(r.id(), r.title(),
                r.severity(), r.pattern(), r.on(), r.types(), r.tool(), r.unless(), r.threshold(), r.redact(), List.of()))
                .toList());
        int alerts = 0;
        for (JobOutputEmitted line : lines) {
            DetectionRules.Inspection a = with.inspect(line);
            DetectionRules.Inspection b = without.inspect(line);
            assertEquals(b.alerts().stream().map(x -> x.ruleId() + " " + x.excerpt()).toList(),
                    a.alerts().stream().map(x -> x.ruleId() + " " + x.excerpt()).toList(), line.raw());
            assertEquals(EventJson.write(b.line()), EventJson.write(a.line()));
            alerts += a.alerts().size();
        }
        assertTrue(alerts > 100, "alerts raised: " + alerts);
    }

    /**
     * Random strings made from each shipped rule's own regex (generated from its
     * tree: they often match) and its literals, mutated: whenever the regex finds a
     * match, the (folded) string contains a hint.
     */
    @Test
    void randomStringsThatMatchAShippedRuleContainAHint() {
        Random rnd = new Random(20261129L);
        DetectionRules engine = new DetectionRules(DetectionRules.shipped());
        for (Rule r : engine.rules()) {
            List<String> hints = engine.hints(r.id());
            if (hints.isEmpty()) {
                continue;
            }
            int matched = check(r.pattern(), hints, fragments(r.pattern().pattern(), hints), rnd, 3000);
            assertTrue(matched > 300, r.id() + ": only " + matched + " random strings matched");
        }
    }

    /** The same on every regex of the case-by-case tests, both case modes. */
    @Test
    void randomStringsThatMatchTheTestRegexesContainAHint() {
        Random rnd = new Random(42);
        List<String> regexes = new ArrayList<>();
        found().forEach(a -> regexes.add((String) a.get()[0]));
        regexes.addAll(List.of("ab+cde", "(?:ab|cd)+efg", "x(?:abc|de)?yz", "a(?:bc|de){2}f", "(?:foo|bar)\\s+baz",
                "\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b", "-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----(?:[\\s\\S]*?-----END|[a-z]*)",
                "you are now (?:in )?(?:developer|dan)", "<\\s*/?\\s*system\\s*>", "[a-c-e]xyz", "[+--]abc", "q[\\-x]rs",
                "colou??r|colou*+r", "(?:a|b|c)(?:d|e|f)(?:g|h)", "abc[a-c-e]", "abc[--/]", "abc[a-]", "abc[-a]", "x[A-C]yz"));
        for (String regex : regexes) {
            for (boolean ci : new boolean[] {false, true}) {
                Pattern p = Pattern.compile(regex, ci ? Pattern.CASE_INSENSITIVE : 0);
                Optional<List<String>> hints = LiteralHints.required(p);
                if (hints.isEmpty()) {
                    continue;
                }
                int matched = check(p, hints.get(), fragments(regex, hints.get()), rnd, 600);
                assertTrue(matched >= 10, regex + ": only " + matched + " random strings matched");
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    static List<JobOutputEmitted> exampleLines() {
        List<JobOutputEmitted> lines = new ArrayList<>();
        DetectionRulesTest.cases().forEach(a -> {
            lines.add((JobOutputEmitted) a.get()[1]);
            lines.add((JobOutputEmitted) a.get()[2]);
        });
        return lines;
    }

    static boolean ci(Pattern p) {
        return (p.flags() & Pattern.CASE_INSENSITIVE) != 0;
    }

    static boolean admits(DetectionRules engine, Rule r, String subject) {
        List<String> hints = engine.hints(r.id());
        String s = ci(r.pattern()) ? LiteralHints.fold(subject) : subject;
        return hints.isEmpty() || hints.stream().anyMatch(s::contains);
    }

    static Node parse(Pattern p) {
        try {
            return LiteralHints.parse(p.pattern());
        } catch (LiteralHints.GiveUp e) {
            return null;
        }
    }

    /** Tries {@code n} random strings; returns how many the pattern matched (each of which had to have a hint). */
    static int check(Pattern p, List<String> hints, List<String> fragments, Random rnd, int n) {
        Node tree = parse(p);
        boolean ci = ci(p);
        int matched = 0;
        for (int i = 0; i < n; i++) {
            StringBuilder sb = new StringBuilder();
            int parts = 1 + rnd.nextInt(4);
            for (int j = 0; j < parts; j++) {
                int kind = rnd.nextInt(10);
                if (kind < 5 && tree != null) {
                    sb.append(generate(tree, rnd, ci));
                } else if (kind < 8) {
                    sb.append(fragments.get(rnd.nextInt(fragments.size())));
                } else {
                    sb.append(noise(rnd));
                }
            }
            String s = mutate(sb.toString(), rnd);
            if (p.matcher(s).find()) {
                matched++;
                String folded = ci ? LiteralHints.fold(s) : s;
                assertTrue(hints.stream().anyMatch(folded::contains),
                        "/" + p.pattern() + "/ matches " + quoted(s) + " which has none of " + hints);
            }
        }
        return matched;
    }

    /** The hints, the hints cut or re-cased, and the literal pieces of the regex source. */
    static List<String> fragments(String regex, List<String> hints) {
        List<String> out = new ArrayList<>();
        for (String h : hints) {
            out.add(h);
            out.add(h.toUpperCase(java.util.Locale.ROOT));
            if (h.length() > 1) {
                out.add(h.substring(1));
                out.add(h.substring(0, h.length() - 1));
            }
        }
        for (String piece : regex.split("[\\\\()\\[\\]{}|?*+^$.]+")) {
            if (!piece.isEmpty()) {
                out.add(piece);
            }
        }
        out.addAll(List.of(" ", "\t", "\n", "-", "/", "@", "=", "\"", ":", "$(", "://", ";", "|"));
        return out;
    }

    private static final String POOL = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
            + " \t\n\r\f\u000B-_./:@$()[]{}\"'=;|&<>!#*+?,\\~`%^éÉſ\u212Aİ→";
    private static final Map<String, List<Character>> MATCHING = new HashMap<>();

    static String noise(Random rnd) {
        StringBuilder sb = new StringBuilder();
        int n = rnd.nextInt(6);
        for (int i = 0; i < n; i++) {
            sb.append(POOL.charAt(rnd.nextInt(POOL.length())));
        }
        return sb.toString();
    }

    /** Random edits: a character dropped, doubled or inserted, or ASCII case flipped. */
    static String mutate(String s, Random rnd) {
        StringBuilder sb = new StringBuilder(s);
        int edits = rnd.nextInt(3);
        for (int e = 0; e < edits && sb.length() > 0; e++) {
            int at = rnd.nextInt(sb.length());
            switch (rnd.nextInt(4)) {
                case 0 -> sb.deleteCharAt(at);
                case 1 -> sb.insert(at, sb.charAt(at));
                case 2 -> sb.insert(at, POOL.charAt(rnd.nextInt(POOL.length())));
                default -> sb.setCharAt(at, flip(sb.charAt(at)));
            }
        }
        return sb.toString();
    }

    static char flip(char c) {
        return c >= 'a' && c <= 'z' ? (char) (c - 32) : c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    }

    /** A random string the tree describes (look-arounds and anchors left out, so it may not match). */
    static String generate(Node node, Random rnd, boolean ci) {
        StringBuilder sb = new StringBuilder();
        generate(node, rnd, ci, sb);
        return sb.toString();
    }

    private static void generate(Node node, Random rnd, boolean ci, StringBuilder sb) {
        if (node instanceof Chars c) {
            String s = c.options().get(rnd.nextInt(c.options().size()));
            sb.append(ci && rnd.nextBoolean() && s.length() == 1 ? String.valueOf(flip(s.charAt(0))) : s);
        } else if (node instanceof Any a) {
            List<Character> chars = MATCHING.computeIfAbsent((ci ? "i:" : "c:") + a.source(), key -> {
                Pattern p = Pattern.compile(a.source(), ci ? Pattern.CASE_INSENSITIVE : 0);
                List<Character> ok = new ArrayList<>();
                for (char ch : POOL.toCharArray()) {
                    if (p.matcher(String.valueOf(ch)).matches()) {
                        ok.add(ch);
                    }
                }
                return ok;
            });
            sb.append(chars.isEmpty() ? POOL.charAt(rnd.nextInt(POOL.length())) : chars.get(rnd.nextInt(chars.size())));
        } else if (node instanceof ZeroWidth z) {
            if (z.inner() != null && (z.source().equals("(?=") || z.source().equals("(?<="))) {
                generate(z.inner(), rnd, ci, sb); // what a positive look-around looks for, in its place
            } else if (rnd.nextInt(4) == 0) {
                sb.append(POOL.charAt(rnd.nextInt(POOL.length())));
            }
        } else if (node instanceof Seq q) {
            q.items().forEach(i -> generate(i, rnd, ci, sb));
        } else if (node instanceof Alt a) {
            generate(a.branches().get(rnd.nextInt(a.branches().size())), rnd, ci, sb);
        } else if (node instanceof Repeat r) {
            int extra = r.max() < 0 ? rnd.nextInt(4) : rnd.nextInt(Math.min(r.max() - r.min(), 3) + 1);
            for (int i = 0; i < r.min() + extra; i++) {
                generate(r.node(), rnd, ci, sb);
            }
        }
    }

    static String quoted(String s) {
        return '"' + s.replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r") + '"';
    }
}
