package io.herdctl.audit.domain;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Literal strings a regular expression cannot match without: a prefilter that
 * lets a rule skip its regex on the lines (most of them) that contain none.
 *
 * <p>{@link #required(String, boolean)} gives a set of strings such that every
 * possible match of the expression contains at least one of them as a substring,
 * or nothing when it cannot prove one. A wrong set would silently drop alerts, so
 * the analysis gives up (empty) on every construct it does not fully model:
 * inline flags {@code (?i)}, back-references, hexadecimal, unicode, octal,
 * control and named-character escapes, nested or intersected character
 * classes, stacked quantifiers, and patterns
 * compiled with flags other than {@code CASE_INSENSITIVE}, {@code MULTILINE},
 * {@code DOTALL} and {@code UNIX_LINES}.
 *
 * <p>The expression is parsed into a small tree and each node is summarised by
 * what it can match: the exact (finite, small) set of strings, else a set of
 * prefixes and a set of suffixes every match starts or ends with, and a set of
 * required substrings. In a sequence, adjacent exact parts multiply into literal
 * runs ({@code ab}, {@code gh[pousr]_}, {@code ya?ml}); an optional part
 * ({@code ?}) is "its strings or nothing"; anything else ({@code .}, {@code \w},
 * a large class, {@code *}) ends a run. Zero-width parts ({@code \b \B ^ $},
 * look-arounds) neither add characters nor end a run. A part repeated at least
 * once ({@code b+}) ends the run after its first copy and starts the next run with
 * its last one ({@code ab+c} requires {@code ab} and {@code bc}). A sequence keeps
 * its best candidate: the set whose shortest string is longest (lengths from
 * {@value #GOOD_LENGTH} on count as equally selective), then the smaller set. An
 * alternation requires the union of its branches' sets. A result whose shortest
 * string is under {@value #MIN_LENGTH} characters is too unselective: none.
 *
 * <p>Case: a case-insensitive pattern (without {@code UNICODE_CASE}) folds only
 * ASCII letters, so hints and subjects are compared after {@link #fold}, which
 * lower-cases exactly {@code A-Z}, character by character.
 */
public final class LiteralHints {

    /** A result whose shortest string is shorter than this is not worth it: none. */
    static final int MIN_LENGTH = 3;
    /** Strings in one set (product of a run, union of branches) before it is dropped or trimmed. */
    static final int MAX_SET = 64;
    /** Characters of a class enumerated as alternatives (so {@code \s} and {@code \d} are, {@code [a-z]} is not). */
    static final int MAX_CLASS = 10;
    /** From this length on, a shortest string is as selective as a longer one: then the smaller set wins. */
    static final int GOOD_LENGTH = 6;

    private static final int ALLOWED_FLAGS = Pattern.CASE_INSENSITIVE | Pattern.MULTILINE | Pattern.DOTALL
            | Pattern.UNIX_LINES;

    private LiteralHints() {
    }

    /** The hints of a compiled pattern; none when its flags are outside what the analysis models. */
    public static Optional<List<String>> required(Pattern pattern) {
        if ((pattern.flags() & ~ALLOWED_FLAGS) != 0) {
            return Optional.empty();
        }
        return required(pattern.pattern(), (pattern.flags() & Pattern.CASE_INSENSITIVE) != 0);
    }

    /**
     * Strings at least one of which every match of {@code regex} contains ({@link #fold folded}
     * when {@code caseInsensitive}); empty when no such set can be proven or it would be too weak.
     */
    public static Optional<List<String>> required(String regex, boolean caseInsensitive) {
        Info info;
        try {
            info = analyze(parse(regex), caseInsensitive);
        } catch (GiveUp | StackOverflowError e) {
            return Optional.empty();
        }
        if (info.req() == null) {
            return Optional.empty();
        }
        List<String> hints = minimal(info.req());
        if (hints.isEmpty() || minLength(hints) < MIN_LENGTH || hints.size() > MAX_SET) {
            return Optional.empty();
        }
        return Optional.of(hints);
    }

    /** ASCII {@code A-Z} lower-cased, nothing else: how {@code CASE_INSENSITIVE} compares characters. */
    public static String fold(String s) {
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                break;
            }
            i++;
        }
        if (i == n) {
            return s;
        }
        char[] cs = s.toCharArray();
        for (; i < n; i++) {
            char c = cs[i];
            if (c >= 'A' && c <= 'Z') {
                cs[i] = (char) (c + ('a' - 'A'));
            }
        }
        return new String(cs);
    }

    /** Whether {@code subject} (already folded for a case-insensitive rule) contains one of the hints. */
    public static boolean admits(String[] hints, String subject) {
        for (String h : hints) {
            if (subject.contains(h)) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- the tree

    /** A parsed expression (package-private so tests can generate strings from it). */
    sealed interface Node permits Chars, Any, ZeroWidth, Seq, Alt, Repeat {
    }

    /** One character (one code point) out of a small known set, e.g. a literal, {@code \s} or {@code [pousr]}. */
    record Chars(List<String> options, String source) implements Node {
    }

    /** Something not modelled that consumes characters: {@code .}, {@code \w}, a large or negated class. */
    record Any(String source) implements Node {
    }

    /** Consumes nothing: {@code ^ $ \b \B \A \G \Z \z} and look-arounds (whose content is ignored). */
    record ZeroWidth(String source, Node inner) implements Node {
    }

    record Seq(List<Node> items) implements Node {
    }

    record Alt(List<Node> branches) implements Node {
    }

    /** {@code max} -1 is unbounded. */
    record Repeat(Node node, int min, int max) implements Node {
    }

    /** Thrown by the parser on anything it does not model; the caller gives up. */
    static final class GiveUp extends RuntimeException {
        GiveUp(String why) {
            super(why, null, false, false);
        }
    }

    static Node parse(String regex) {
        Parser p = new Parser(regex);
        Node n = p.alternation();
        if (p.pos != regex.length()) {
            throw new GiveUp("unexpected ) at " + p.pos);
        }
        return n;
    }

    private static final class Parser {
        private final String re;
        private int pos;

        Parser(String re) {
            this.re = re;
        }

        private boolean more() {
            return pos < re.length();
        }

        private char peek() {
            return re.charAt(pos);
        }

        private char at(int i) {
            return i < re.length() ? re.charAt(i) : '\0';
        }

        Node alternation() {
            List<Node> branches = new ArrayList<>();
            branches.add(sequence());
            while (more() && peek() == '|') {
                pos++;
                branches.add(sequence());
            }
            return branches.size() == 1 ? branches.get(0) : new Alt(List.copyOf(branches));
        }

        private Node sequence() {
            List<Node> items = new ArrayList<>();
            while (more() && peek() != '|' && peek() != ')') {
                if (peek() == '\\' && at(pos + 1) == 'Q') {
                    quote(items);
                } else {
                    items.add(atom());
                }
                quantifier(items);
            }
            return items.size() == 1 ? items.get(0) : new Seq(List.copyOf(items));
        }

        /** {@code \Q...\E}: each character literal (a quantifier after it takes the last one only). */
        private void quote(List<Node> items) {
            pos += 2;
            int end = re.indexOf("\\E", pos);
            String body = end < 0 ? re.substring(pos) : re.substring(pos, end);
            pos = end < 0 ? re.length() : end + 2;
            if (body.isEmpty()) {
                throw new GiveUp("empty \\Q\\E");
            }
            body.codePoints().forEach(cp -> items.add(literal(cp)));
        }

        private void quantifier(List<Node> items) {
            if (!more()) {
                return;
            }
            char c = peek();
            int min;
            int max;
            if (c == '?') {
                min = 0;
                max = 1;
                pos++;
            } else if (c == '*') {
                min = 0;
                max = -1;
                pos++;
            } else if (c == '+') {
                min = 1;
                max = -1;
                pos++;
            } else if (c == '{') {
                int close = re.indexOf('}', pos);
                if (close < 0) {
                    throw new GiveUp("bad {");
                }
                String body = re.substring(pos + 1, close);
                if (!body.matches("\\d{1,6}(,\\d{0,6})?")) {
                    throw new GiveUp("bad {" + body + "}");
                }
                int comma = body.indexOf(',');
                if (comma < 0) {
                    min = max = Integer.parseInt(body);
                } else {
                    min = Integer.parseInt(body.substring(0, comma));
                    max = comma == body.length() - 1 ? -1 : Integer.parseInt(body.substring(comma + 1));
                }
                if (max >= 0 && max < min) {
                    throw new GiveUp("bad {" + body + "}");
                }
                pos = close + 1;
            } else {
                return;
            }
            if (more() && (peek() == '?' || peek() == '+')) {
                pos++; // lazy or possessive: the same strings can match (possessive: fewer)
            }
            if (more() && "?*+{".indexOf(peek()) >= 0) {
                throw new GiveUp("stacked quantifiers");
            }
            if (items.isEmpty()) {
                throw new GiveUp("quantifier without an item");
            }
            items.set(items.size() - 1, new Repeat(items.get(items.size() - 1), min, max));
        }

        private Node atom() {
            char c = peek();
            switch (c) {
                case '(':
                    return group();
                case '[':
                    return charClass();
                case '.':
                    pos++;
                    return new Any(".");
                case '^':
                case '$':
                    pos++;
                    return new ZeroWidth(String.valueOf(c), null);
                case '\\':
                    return escape();
                case '*':
                case '+':
                case '?':
                case '{':
                    throw new GiveUp("dangling " + c);
                default:
                    int cp = re.codePointAt(pos);
                    pos += Character.charCount(cp);
                    return literal(cp);
            }
        }

        private Node group() {
            pos++; // (
            boolean look = false;
            String kind = "(";
            if (more() && peek() == '?') {
                char k = at(pos + 1);
                if (k == ':' || k == '>') {
                    pos += 2;
                } else if (k == '=' || k == '!') {
                    pos += 2;
                    look = true;
                    kind = "(?" + k;
                } else if (k == '<' && (at(pos + 2) == '=' || at(pos + 2) == '!')) {
                    kind = "(?<" + at(pos + 2);
                    pos += 3;
                    look = true;
                } else if (k == '<' && Character.isLetter(at(pos + 2))) {
                    int close = re.indexOf('>', pos);
                    if (close < 0) {
                        throw new GiveUp("bad group name");
                    }
                    for (int i = pos + 2; i < close; i++) {
                        if (!Character.isLetterOrDigit(re.charAt(i))) {
                            throw new GiveUp("bad group name");
                        }
                    }
                    pos = close + 1;
                } else {
                    throw new GiveUp("inline flags or unknown group (?" + k);
                }
            }
            Node inner = alternation();
            if (!more() || peek() != ')') {
                throw new GiveUp("unclosed group");
            }
            pos++;
            return look ? new ZeroWidth(kind, inner) : inner;
        }

        private Node escape() {
            char d = at(pos + 1);
            if (pos + 1 >= re.length()) {
                throw new GiveUp("trailing backslash");
            }
            pos += 2;
            switch (d) {
                case 'b':
                    if (more() && peek() == '{') {
                        throw new GiveUp("\\b{...}");
                    }
                    return new ZeroWidth("\\b", null);
                case 'B':
                case 'A':
                case 'G':
                case 'Z':
                case 'z':
                    return new ZeroWidth("\\" + d, null);
                case 't':
                case 'n':
                case 'r':
                case 'f':
                case 'a':
                case 'e':
                    return literal(control(d));
                case 's':
                    return new Chars(WHITESPACE, "\\s");
                case 'd':
                    return new Chars(DIGITS, "\\d");
                case 'S':
                case 'D':
                case 'w':
                case 'W':
                case 'h':
                case 'H':
                case 'v':
                case 'V':
                case 'R':
                case 'X':
                    return new Any("\\" + d);
                case 'p':
                case 'P':
                    return new Any(property(d));
                default:
                    if (d < 128 && Character.isLetterOrDigit(d)) {
                        throw new GiveUp("escape \\" + d);
                    }
                    pos -= 1;
                    int cp = re.codePointAt(pos);
                    pos += Character.charCount(cp);
                    return literal(cp);
            }
        }

        /** {@code \pL} or {@code \p{...}} after the letter, which {@code pos} is past. */
        private String property(char d) {
            int start = pos - 2;
            if (more() && peek() == '{') {
                int close = re.indexOf('}', pos);
                if (close < 0) {
                    throw new GiveUp("bad \\p{");
                }
                pos = close + 1;
            } else if (more() && Character.isLetter(peek())) {
                pos++;
            } else {
                throw new GiveUp("bad \\" + d);
            }
            return re.substring(start, pos);
        }

        /**
         * A bracket class. Enumerated (a {@link Chars}) when it is a plain, small,
         * non-negated list of characters, ranges, {@code \s} or {@code \d}; an
         * {@link Any} otherwise. Nested classes and {@code &&} make the parser give up.
         * A {@code -} between two characters is taken as a range, and also as a
         * literal where it might be one (first, last, right after a range): a superset.
         */
        private Node charClass() {
            int start = pos;
            pos++; // [
            boolean unknown = false;
            if (more() && peek() == '^') {
                unknown = true;
                pos++;
            }
            Set<Integer> members = new TreeSet<>();
            List<int[]> tokens = new ArrayList<>(); // {code point, 1 if a plain '-'}
            boolean first = true;
            while (true) {
                if (!more()) {
                    throw new GiveUp("unclosed class");
                }
                char c = peek();
                if (c == ']' && !first) {
                    pos++;
                    break;
                }
                first = false;
                if (c == '[') {
                    throw new GiveUp("nested class");
                }
                if (c == '&' && at(pos + 1) == '&') {
                    throw new GiveUp("class intersection");
                }
                if (c == '\\') {
                    char d = at(pos + 1);
                    if (pos + 1 >= re.length()) {
                        throw new GiveUp("trailing backslash");
                    }
                    pos += 2;
                    switch (d) {
                        case 's' -> {
                            WHITESPACE.forEach(s -> members.add(s.codePointAt(0)));
                            tokens.add(new int[] {-1, 0});
                        }
                        case 'd' -> {
                            DIGITS.forEach(s -> members.add(s.codePointAt(0)));
                            tokens.add(new int[] {-1, 0});
                        }
                        case 'S', 'D', 'w', 'W', 'h', 'H', 'v', 'V' -> {
                            unknown = true;
                            tokens.add(new int[] {-1, 0});
                        }
                        case 'p', 'P' -> {
                            property(d);
                            unknown = true;
                            tokens.add(new int[] {-1, 0});
                        }
                        case 't', 'n', 'r', 'f', 'a', 'e' -> {
                            members.add((int) control(d));
                            tokens.add(new int[] {control(d), 0});
                        }
                        default -> {
                            if (d < 128 && Character.isLetterOrDigit(d)) {
                                throw new GiveUp("escape \\" + d + " in a class");
                            }
                            int cp = re.codePointAt(pos - 1);
                            pos += Character.charCount(cp) - 1;
                            if (Character.isSupplementaryCodePoint(cp)) {
                                unknown = true;
                            }
                            members.add(cp);
                            tokens.add(new int[] {cp, 0});
                        }
                    }
                    continue;
                }
                int cp = re.codePointAt(pos);
                pos += Character.charCount(cp);
                if (Character.isSupplementaryCodePoint(cp)) {
                    unknown = true;
                }
                if (cp != '-') {
                    members.add(cp);
                }
                tokens.add(new int[] {cp, cp == '-' ? 1 : 0});
            }
            String source = re.substring(start, pos);
            if (unknown) {
                return new Any(source);
            }
            for (int i = 0; i < tokens.size(); i++) {
                if (tokens.get(i)[1] == 1 && (i == 0 || i == tokens.size() - 1 || i >= 2 && tokens.get(i - 2)[1] == 1)) {
                    members.add((int) '-'); // first, last or right after a range: a literal
                }
            }
            for (int i = 1; i + 1 < tokens.size(); i++) {
                int[] from = tokens.get(i - 1);
                int[] to = tokens.get(i + 1);
                if (tokens.get(i)[1] == 1 && (from[0] < 0 || to[0] < 0)) {
                    return new Any(source); // a '-' next to \s or \d: not modelled
                }
                if (tokens.get(i)[1] == 1) {
                    if (to[0] - from[0] > 4 * MAX_CLASS) {
                        return new Any(source);
                    }
                    for (int cp = from[0]; cp <= to[0]; cp++) {
                        members.add(cp);
                    }
                }
            }
            if (members.isEmpty() || members.size() > 4 * MAX_CLASS) {
                return new Any(source);
            }
            List<String> options = new ArrayList<>();
            members.forEach(cp -> options.add(new String(Character.toChars(cp))));
            return new Chars(List.copyOf(options), source);
        }

        private static char control(char d) {
            return switch (d) {
                case 't' -> '\t';
                case 'n' -> '\n';
                case 'r' -> '\r';
                case 'f' -> '\f';
                case 'a' -> '\u0007';
                default -> '\u001B';
            };
        }

        private static Chars literal(int cp) {
            String s = new String(Character.toChars(cp));
            return new Chars(List.of(s), s);
        }
    }

    /** {@code \s} without {@code UNICODE_CHARACTER_CLASS}: {@code [ \t\n\x0B\f\r]}. */
    static final List<String> WHITESPACE = List.of(" ", "\t", "\n", "\u000B", "\f", "\r");
    static final List<String> DIGITS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    // ---------------------------------------------------------------- the analysis

    /**
     * What a node can match, each null when unknown: every match is one of {@code exact};
     * starts with one of {@code pre}; ends with one of {@code suf}; and, for each set in
     * {@code options}, contains one of its strings (the candidate requirements; none: empty).
     */
    record Info(Set<String> exact, Set<String> pre, Set<String> suf, List<Set<String>> options) {
        static final Info UNKNOWN = new Info(null, null, null, List.of());
        static final Info EMPTY = exact(Set.of(""));

        static Info exact(Set<String> strings) {
            return new Info(strings, strings, strings, List.of(strings));
        }

        Set<String> preOrExact() {
            return exact != null ? exact : pre;
        }

        Set<String> sufOrExact() {
            return exact != null ? exact : suf;
        }

        /** The most selective requirement, null when there is none. */
        Set<String> req() {
            return best(options);
        }
    }

    static Info analyze(Node node, boolean ci) {
        if (node instanceof Chars c) {
            Set<String> s = new LinkedHashSet<>();
            for (String o : c.options()) {
                s.add(ci ? fold(o) : o);
            }
            return s.size() > MAX_CLASS ? Info.UNKNOWN : Info.exact(s);
        }
        if (node instanceof Any) {
            return Info.UNKNOWN;
        }
        if (node instanceof ZeroWidth) {
            return Info.EMPTY;
        }
        if (node instanceof Seq q) {
            return sequence(q.items(), ci);
        }
        if (node instanceof Alt a) {
            return alternation(a.branches(), ci);
        }
        Repeat r = (Repeat) node;
        Info inner = analyze(r.node(), ci);
        if (r.max() == 0 || Set.of("").equals(inner.exact())) {
            return Info.EMPTY;
        }
        if (r.min() == 0) {
            if (r.max() == 1 && inner.exact() != null) {
                Set<String> s = new LinkedHashSet<>(inner.exact());
                s.add("");
                return Info.exact(s);
            }
            return Info.UNKNOWN;
        }
        if (inner.exact() != null && r.min() == r.max() && r.min() <= 16) {
            Set<String> power = Set.of("");
            for (int i = 0; i < r.min() && power != null; i++) {
                power = product(power, inner.exact());
            }
            if (power != null) {
                return Info.exact(power);
            }
        }
        // At least one copy: the first starts every match, the last ends it, any one is in it.
        return new Info(null, inner.preOrExact(), inner.sufOrExact(), inner.options());
    }

    /**
     * Adjacent exact parts multiply into runs; any other part ends the current run
     * (after its prefixes) and starts the next (with its suffixes). Every product of
     * consecutive parts of a run that fits is a candidate, and so is each part's own.
     */
    private static Info sequence(List<Node> items, boolean ci) {
        List<List<Set<String>>> runs = new ArrayList<>();
        runs.add(new ArrayList<>());
        List<Set<String>> candidates = new ArrayList<>();
        boolean allExact = true;
        for (Node item : items) {
            Info i = analyze(item, ci);
            List<Set<String>> run = runs.get(runs.size() - 1);
            if (i.exact() != null) {
                if (!Set.of("").equals(i.exact())) {
                    run.add(i.exact());
                }
                continue;
            }
            allExact = false;
            if (i.pre() != null) {
                run.add(i.pre());
            }
            List<Set<String>> next = new ArrayList<>();
            if (i.suf() != null) {
                next.add(i.suf());
            }
            runs.add(next);
            candidates.addAll(i.options());
        }
        for (List<Set<String>> run : runs) {
            List<Set<String>> merged = mergeSingles(run);
            for (int a = 0; a < merged.size(); a++) {
                Set<String> prod = Set.of("");
                for (int b = a; b < merged.size(); b++) {
                    prod = product(prod, merged.get(b));
                    if (prod == null) {
                        break;
                    }
                    candidates.add(prod);
                }
            }
        }
        List<Set<String>> head = mergeSingles(runs.get(0));
        List<Set<String>> tail = mergeSingles(runs.get(runs.size() - 1));
        if (allExact) {
            Set<String> whole = Set.of("");
            for (Set<String> s : head) {
                whole = whole == null ? null : product(whole, s);
            }
            if (whole != null) {
                return new Info(whole, whole, whole, List.copyOf(candidates));
            }
        }
        return new Info(null, longestPrefix(head), longestSuffix(tail), List.copyOf(candidates));
    }

    /**
     * The union of one requirement per branch. The union is only as selective as
     * its weakest branch, so each branch takes, among its candidates at least that
     * selective, the one that adds the fewest new strings to the union (not
     * necessarily its own best): {@code curl.*-d|curl.*\$\(env} requires {@code curl}.
     */
    private static Info alternation(List<Node> branches, boolean ci) {
        List<Info> infos = branches.stream().map(b -> analyze(b, ci)).toList();
        Set<String> exact = union(infos.stream().map(Info::exact).toList());
        Set<String> pre = trim(union(infos.stream().map(Info::preOrExact).toList()), true);
        Set<String> suf = trim(union(infos.stream().map(Info::sufOrExact).toList()), false);
        if (exact != null && exact.size() > MAX_SET) {
            exact = null;
        }
        List<Set<String>> options = List.of();
        if (infos.stream().noneMatch(i -> i.req() == null)) {
            int floor = infos.stream().mapToInt(i -> score(i.req())).min().orElse(0);
            Set<String> req = new LinkedHashSet<>();
            for (Info i : infos) {
                Set<String> pick = i.req();
                int pickNew = added(req, pick);
                for (Set<String> o : i.options()) {
                    int oNew = added(req, o);
                    if (score(o) >= floor && (oNew < pickNew || oNew == pickNew && minLength(o) > minLength(pick))) {
                        pick = o;
                        pickNew = oNew;
                    }
                }
                req.addAll(pick);
            }
            if (req.size() <= MAX_SET) {
                options = List.of(req);
            }
        }
        if (exact != null) {
            return new Info(exact, exact, exact, options.isEmpty() ? List.of(exact) : options);
        }
        return new Info(null, pre, suf, options);
    }

    private static int added(Set<String> to, Set<String> set) {
        int n = 0;
        for (String s : set) {
            if (!to.contains(s)) {
                n++;
            }
        }
        return n;
    }

    /** Adjacent single-string sets joined: a longer literal is never worse, and it keeps the products few. */
    private static List<Set<String>> mergeSingles(List<Set<String>> run) {
        List<Set<String>> out = new ArrayList<>();
        for (Set<String> s : run) {
            if (s.size() == 1 && !out.isEmpty() && out.get(out.size() - 1).size() == 1) {
                out.set(out.size() - 1, Set.of(out.get(out.size() - 1).iterator().next() + s.iterator().next()));
            } else {
                out.add(s);
            }
        }
        return out;
    }

    /** Every concatenation, or null when more than {@link #MAX_SET}. */
    private static Set<String> product(Set<String> left, Set<String> right) {
        if ((long) left.size() * right.size() > MAX_SET) {
            return null;
        }
        Set<String> out = new LinkedHashSet<>();
        for (String l : left) {
            for (String r : right) {
                out.add(l + r);
            }
        }
        return out;
    }

    /** The product of the longest leading part of a run that fits; null when nothing useful. */
    private static Set<String> longestPrefix(List<Set<String>> run) {
        Set<String> prod = Set.of("");
        for (Set<String> s : run) {
            Set<String> next = product(prod, s);
            if (next == null) {
                break;
            }
            prod = next;
        }
        return prod.equals(Set.of("")) ? null : prod;
    }

    private static Set<String> longestSuffix(List<Set<String>> run) {
        Set<String> prod = Set.of("");
        for (int i = run.size() - 1; i >= 0; i--) {
            Set<String> next = product(run.get(i), prod);
            if (next == null) {
                break;
            }
            prod = next;
        }
        return prod.equals(Set.of("")) ? null : prod;
    }

    private static Set<String> union(List<Set<String>> sets) {
        Set<String> out = new LinkedHashSet<>();
        for (Set<String> s : sets) {
            if (s == null) {
                return null;
            }
            out.addAll(s);
        }
        return out;
    }

    /** A prefix (or suffix) set cut to shorter prefixes (suffixes) until it fits; still valid. */
    private static Set<String> trim(Set<String> set, boolean prefixes) {
        if (set == null) {
            return null;
        }
        int len = set.stream().mapToInt(String::length).max().orElse(0);
        Set<String> out = set;
        while (out.size() > MAX_SET && len > 0) {
            len--;
            Set<String> cut = new LinkedHashSet<>();
            for (String s : set) {
                cut.add(s.length() <= len ? s : prefixes ? s.substring(0, len) : s.substring(s.length() - len));
            }
            out = cut;
        }
        return out.size() > MAX_SET || out.equals(Set.of("")) ? null : out;
    }

    /** How selective a requirement is: its shortest string's length, capped at {@link #GOOD_LENGTH}. */
    private static int score(Set<String> set) {
        return Math.min(GOOD_LENGTH, minLength(set));
    }

    /** The most selective candidate: best {@link #score}, then fewest strings, then longest shortest string. */
    private static Set<String> best(List<Set<String>> candidates) {
        Comparator<Set<String>> order = Comparator
                .<Set<String>>comparingInt(LiteralHints::score)
                .thenComparing(Comparator.<Set<String>>comparingInt(Set::size).reversed())
                .thenComparingInt(LiteralHints::minLength);
        Set<String> best = null;
        for (Set<String> c : candidates) {
            if (best == null || order.compare(c, best) > 0) {
                best = c;
            }
        }
        return best;
    }

    private static int minLength(Collection<String> set) {
        return set.stream().mapToInt(String::length).min().orElse(0);
    }

    /** Without the strings that contain another one (a line with the longer has the shorter). */
    private static List<String> minimal(Set<String> set) {
        List<String> out = new ArrayList<>();
        for (String s : set) {
            boolean redundant = false;
            for (String t : set) {
                if (!t.equals(s) && s.contains(t)) {
                    redundant = true;
                    break;
                }
            }
            if (!redundant) {
                out.add(s);
            }
        }
        return List.copyOf(out);
    }
}
