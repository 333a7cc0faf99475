package io.herdctl.events.skills;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.herdctl.events.AgentSpec;
import io.herdctl.events.Severity;

/**
 * The security guide's "audit skill code": what an agent can load (its project's
 * {@code .claude/skills}, the global {@code ~/.claude/skills} its container gets, a
 * project {@code .mcp.json} and the MCP servers of its configuration) searched for
 * the red flags the guide lists. Pure: it reads files and returns {@link RedFlag}s,
 * and says nothing to anyone; config-service's {@code herdctl doctor} and the runner
 * (right before each job) both use it, so both find the same things.
 *
 * <p>Bounded, because a job may have written what is scanned: at most
 * {@value #MAX_FILES} files per directory tree, {@value #MAX_DEPTH} levels deep,
 * files up to {@value #MAX_FILE_BYTES} bytes and {@value #MAX_TOTAL_BYTES} in all,
 * and no symbolic link followed out of its tree (a link to a file of the same tree is
 * read there). What the bounds left out is itself a red flag ({@code unscanned}, high),
 * so that {@code block} fails closed instead of letting padding hide a payload;
 * binaries (a NUL byte in the first 8 KiB) and unreadable files are only noted.
 *
 * <p>Each red flag reports at most {@value #MAX_FLAGS_PER_KIND} lines per file, so a
 * file full of one pattern does not bury the rest.
 */
public final class SkillScanner {

    public static final int MAX_FILES = 2_000;
    public static final int MAX_DEPTH = 12;
    public static final long MAX_FILE_BYTES = 256 * 1024;
    /** All files of one scan together; beyond it the rest is not read (and flagged). */
    public static final long MAX_TOTAL_BYTES = 8 * 1024 * 1024;
    static final int MAX_FLAGS_PER_KIND = 3;
    static final int SNIPPET_CHARS = 160;
    /** How much of a line around a match is masked to cut the snippet from. */
    private static final int SNIPPET_WINDOW = 4 * SNIPPET_CHARS;
    /** An environment read and a network send this many lines apart or closer count as one exfiltration. */
    static final int EXFILTRATION_WINDOW = 8;

    /** Where the container's user has its home: a volume mounted there or below hands it global skills. */
    public static final String CONTAINER_HOME = "/home/claude";

    /**
     * Hosts a download may come from without a flag (each with its sub-domains): the security guide's egress
     * whitelist. A fleet adds its own with {@code security.allowed_hosts}.
     */
    public static final List<String> DEFAULT_ALLOWED_HOSTS = List.of("anthropic.com", "claude.ai", "github.com",
            "githubusercontent.com", "npmjs.org", "npmjs.com", "pypi.org", "pythonhosted.org");

    /** The red flags, each with its severity and what to do about it. */
    public enum Kind {
        ENV_EXFILTRATION("env-exfiltration", Severity.CRITICAL, "remove the skill, or the code that reads the "
                + "environment or credential files and sends them out; rotate every credential the agent had"),
        PIPE_TO_SHELL("pipe-to-shell", Severity.CRITICAL, "never run what a download returns: vendor the script into "
                + "the skill (reviewed), or install the tool into the agent's image"),
        DECODED_EXEC("decoded-exec", Severity.CRITICAL, "remove the skill: code that decodes and runs hidden data "
                + "cannot be reviewed"),
        SKIP_PERMISSIONS("skip-permissions", Severity.HIGH, "remove the permission bypass; grant tools with "
                + "allowed_tools or permission_mode in the fleet file, where it is reviewed"),
        REMOTE_PACKAGE("remote-package", Severity.HIGH, "run a released package at a pinned version "
                + "(package@1.2.3 / package==1.2.3), or install the server into the agent's image"),
        UNKNOWN_HOST("unknown-host", Severity.MEDIUM, "fetch only from hosts you trust; if this one is, add it to "
                + "security.allowed_hosts in the fleet file (and to the egress proxy's whitelist)"),
        OBFUSCATED("obfuscated", Severity.MEDIUM, "decode the data and read it; keep only code that can be reviewed "
                + "as written"),
        UNPINNED_PACKAGE("unpinned-package", Severity.MEDIUM, "pin an exact version (package@1.2.3 / package==1.2.3), "
                + "or install the server into the agent's image"),
        /**
         * What the bounds kept the scan from reading: high, so that {@code block} fails closed rather than let a
         * payload hide behind padding; medium for a symbolic link, which is not followed.
         */
        UNSCANNED("unscanned", Severity.HIGH, "keep skills as plain files of at most " + MAX_FILE_BYTES / 1024
                + " KiB, at most " + MAX_FILES + " per directory and " + MAX_DEPTH + " levels deep, inside the "
                + "directory they belong to, so that they can be reviewed (and scanned)");

        private final String id;
        private final Severity severity;
        private final String fix;

        Kind(String id, Severity severity, String fix) {
            this.id = id;
            this.severity = severity;
            this.fix = fix;
        }

        public String id() {
            return id;
        }

        public Severity severity() {
            return severity;
        }

        public String fix() {
            return fix;
        }
    }

    /**
     * A directory of skills the agent loads.
     *
     * @param dir    as this process can read it
     * @param within the directory the tree must not lead out of (the working directory, the mounted home); a
     *               root that is a link out of it is not followed
     * @param label  how reports name it ({@code .claude/skills}, {@code ~/.claude/skills})
     */
    public record Root(Path dir, Path within, String label) {
    }

    /** What a scan found, what it left out and why, and how many files it read. */
    public record Result(List<RedFlag> flags, List<String> notes, int filesScanned) {

        /** The worst severity found, or null when nothing was. */
        public Severity worst() {
            return flags.stream().map(RedFlag::severity).max(Enum::compareTo).orElse(null);
        }

        /** The flags that refuse a job under {@code security.skill_scan: block}: high and critical. */
        public List<RedFlag> blocking() {
            // Under block the scan fails closed: what it could not read blocks whatever its severity.
            return flags.stream().filter(f -> f.severity().compareTo(Severity.HIGH) >= 0
                    || Kind.UNSCANNED.id().equals(f.kind())).toList();
        }
    }

    // ---- what a line can give away ----------------------------------------------------------------

    /** The whole environment at once: sent anywhere, it is every credential the agent has. */
    private static final Pattern ENV_DUMP = Pattern.compile("process\\.env(?!\\s*(?:\\.|\\[|\\?\\.))"
            + "|os\\.environ(?!\\s*(?:\\.get\\b|\\[))|System\\.getenv\\(\\s*\\)|Deno\\.env\\.toObject"
            + "|(?:^\\s*|[;&|(`]\\s*|\\$\\(\\s*)(?:printenv|env|export\\s+-p|set)\\s*(?:\\||>|\\)|`|$)"
            + "|/proc/(?:self|\\d+)/environ");
    /** One credential: a secret-named variable, or a file that holds keys. */
    private static final Pattern CREDENTIAL_READ = Pattern.compile("\\$\\{?[A-Z0-9_]*(?:API_?KEY|TOKEN|SECRET|PASSWORD"
            + "|CREDENTIALS?)\\b|(?:process\\.env\\s*(?:\\.|\\[\\s*['\"])|os\\.environ\\s*(?:\\.get\\(|\\[)\\s*['\"]"
            + "|getenv\\(\\s*['\"]|ENV\\[\\s*['\"])[A-Z0-9_]*(?:API_?KEY|TOKEN|SECRET|PASSWORD|CREDENTIALS?)"
            + "|\\.ssh/id_|\\.aws/credentials|\\.netrc\\b|\\.git-credentials|\\.claude/\\.credentials"
            + "|\\.docker/config\\.json");
    private static final Pattern NET_SEND = Pattern.compile("\\bcurl\\b|\\bwget\\b|\\bfetch\\s*\\(|\\brequests\\.\\w+\\s*\\("
            + "|\\burllib\\b|\\bhttpx\\.|\\baxios\\b|XMLHttpRequest|\\bhttps?\\.(?:request|get)\\s*\\(|\\bnc\\s+-?\\w"
            + "|\\bncat\\b|\\bsocat\\b|Invoke-(?:WebRequest|RestMethod)|\\biwr\\b|/dev/(?:tcp|udp)/|sendBeacon"
            + "|new\\s+WebSocket|\\bscp\\s|\\bsocket\\.connect");
    private static final Pattern PIPE_TO_SHELL = Pattern.compile("(?i)\\b(?:curl|wget|iwr|fetch)\\b[^\\n|]{0,200}\\|\\s*"
            + "(?:sudo\\s+)?(?:(?:ba|z|da|k)?sh|python[0-9.]*|node|perl|ruby|iex)\\b"
            + "|\\b(?:ba|z)?sh\\s+(?:-c\\s+)?[\"']?<\\(\\s*(?:curl|wget)\\b|\\bsource\\s+<\\(\\s*(?:curl|wget)\\b"
            + "|\\beval\\s+\"?\\$\\(\\s*(?:curl|wget)\\b|\\biex\\s*\\(?\\s*(?:\\(?\\s*iwr|\\(?\\s*Invoke-WebRequest"
            + "|\\(?\\s*New-Object\\s+Net\\.WebClient)");
    private static final Pattern DECODED_EXEC = Pattern.compile("\\beval\\s*\\(\\s*(?:atob|Buffer\\.from|unescape"
            + "|decodeURIComponent|String\\.fromCharCode)|\\b(?:exec|eval)\\s*\\(\\s*(?:base64\\.b64decode|codecs\\.decode"
            + "|bytes\\.fromhex|zlib\\.decompress|marshal\\.loads|__import__\\(\\s*['\"]base64)"
            + "|\\bnew\\s+Function\\s*\\(\\s*atob|\\bbase64\\s+(?:-d|--decode|-D)\\b[^\\n|]{0,200}\\|\\s*(?:ba|z)?sh\\b"
            + "|\\bxxd\\s+-r[^\\n|]{0,200}\\|\\s*(?:ba)?sh\\b|\\beval\\s+\"?\\$\\(\\s*(?:echo|printf)[^\\n]{0,200}base64");
    private static final Pattern SKIP_PERMISSIONS = Pattern.compile("dangerously-skip-permissions|\\bbypassPermissions\\b"
            + "|--permission-mode[= ]+bypass|allowDangerouslySkipPermissions");
    private static final Pattern BASE64_RUN = Pattern.compile("[A-Za-z0-9+/]{120,}={0,2}");
    private static final Pattern HEX_RUN = Pattern.compile("(?<![0-9A-Fa-f])[0-9A-Fa-f]{200,}");
    private static final Pattern ESCAPE_RUN = Pattern.compile("(?:\\\\x[0-9A-Fa-f]{2}){8,}|(?:\\\\u[0-9A-Fa-f]{4}){8,}"
            + "|String\\.fromCharCode\\s*\\(\\s*\\d+(?:\\s*,\\s*\\d+){8,}");
    /** Where a line fetches something: only then do its hosts count. */
    private static final Pattern FETCHES = Pattern.compile("(?i)\\b(?:curl|wget|fetch|requests\\.\\w+|urllib|httpx"
            + "|axios|iwr|Invoke-WebRequest|Invoke-RestMethod|git\\s+clone|pip3?\\s+install|npm\\s+(?:i|install)"
            + "|download|urlopen|http\\.get)\\b");
    private static final Pattern URL_HOST = Pattern.compile("(?i)\\b(?:https?|ftp)://(?:[^/\\s@'\"`]*@)?"
            + "(\\[[0-9a-f:.]+\\]|[a-z0-9][a-z0-9.-]*)");
    /** Documentation hosts (RFC 2606) and the container itself: fetching from them reaches nobody. */
    private static final Pattern HARMLESS_HOST = Pattern.compile("(?i)(?:localhost|127\\.\\d+\\.\\d+\\.\\d+|\\[::1\\]"
            + "|(?:[a-z0-9-]+\\.)*example\\.(?:com|org|net)|[a-z0-9.-]+\\.(?:example|test|invalid|localhost))");

    // ---- credentials kept out of snippets -----------------------------------------------------------

    private static final Pattern TOKEN = Pattern.compile("sk-ant-[A-Za-z0-9_-]{6,}|\\bgh[pousr]_[A-Za-z0-9]{10,}"
            + "|\\bgithub_pat_[A-Za-z0-9_]{10,}|\\bglpat-[A-Za-z0-9_-]{10,}|\\bxox[abprs]-[A-Za-z0-9-]{8,}"
            + "|\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b|\\bAIza[0-9A-Za-z_-]{30,}|\\bsk-[A-Za-z0-9_-]{20,}"
            + "|-----BEGIN [A-Z ]*PRIVATE KEY-----");
    private static final Pattern ASSIGNED_SECRET = Pattern.compile("(?i)\\b([A-Z0-9_]*(?:API_?KEY|TOKEN|SECRET|PASSWORD"
            + "|PASSWD)[A-Z0-9_]*[\"']?\\s*[:=]\\s*[\"']?)(?!\\$)[^\\s\"',;)]{6,}|\\b(Bearer|Basic)\\s+(?!\\$)[A-Za-z0-9._~+/=-]{8,}");

    // ---- MCP servers ------------------------------------------------------------------------------------

    private static final Set<String> NPM_RUNNERS = Set.of("npx", "bunx", "pnpx");
    private static final Pattern NPM_PINNED = Pattern.compile("^(?:@[^/@\\s]+/)?[^@/\\s]+@v?\\d+\\.\\d+\\.\\d+(?:[-+]\\S*)?$");
    private static final Pattern PYPI_PINNED = Pattern.compile("^[A-Za-z0-9_.\\[\\],-]+(?:==|@)v?\\d+(?:\\.\\d+)*\\S*$");
    private static final Pattern REMOTE_SPEC = Pattern.compile("(?i)^(?:https?://|git\\+|git://|github:|gitlab:"
            + "|bitbucket:|file:|ssh://)|\\.(?:tgz|tar\\.gz|whl|zip)$|^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(?:#\\S*)?$");
    /** Options of npx and uvx that take the next argument as their value, so it is not the package. */
    private static final Set<String> VALUE_FLAGS = Set.of("--registry", "--cache", "-c", "--call", "--userconfig", "-p",
            "--package", "--python", "--with", "--index-url", "--extra-index-url", "--index", "--directory", "--from");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> allowedHosts;

    /** @param extraAllowedHosts hosts added to {@link #DEFAULT_ALLOWED_HOSTS} (each with its sub-domains) */
    public SkillScanner(Collection<String> extraAllowedHosts) {
        Set<String> hosts = new LinkedHashSet<>(DEFAULT_ALLOWED_HOSTS);
        for (String h : extraAllowedHosts) {
            String host = h.strip().toLowerCase(Locale.ROOT);
            while (host.startsWith("*.") || host.startsWith(".")) {
                host = host.substring(host.indexOf('.') + 1);
            }
            if (!host.isEmpty()) {
                hosts.add(host);
            }
        }
        this.allowedHosts = List.copyOf(hosts);
    }

    /** A scanner with the agent's {@code security.allowed_hosts}. */
    public static SkillScanner forAgent(AgentSpec agent) {
        return new SkillScanner(agent.security().allowedHosts());
    }

    // ---- where an agent's skills are ------------------------------------------------------------------

    /**
     * The skill directories an agent loads: its project's {@code .claude/skills}; in a container, the global
     * {@code ~/.claude/skills} of the home the runner keeps for it ({@code claudeHome}, null when none) and of any
     * volume mounted at the container's home or below it; on the host, the global skills of the user that runs it
     * ({@code userHome}, null when unknown).
     */
    public static List<Root> roots(AgentSpec agent, Path claudeHome, Path userHome) {
        List<Root> roots = new ArrayList<>();
        if (agent.workingDirectory() != null) {
            Path wd = Path.of(agent.workingDirectory());
            roots.add(new Root(wd.resolve(".claude").resolve("skills"), wd, ".claude/skills"));
        }
        if (!agent.docker().enabled()) {
            if (userHome != null) {
                roots.add(new Root(userHome.resolve(".claude").resolve("skills"), userHome, "~/.claude/skills"));
            }
            return roots;
        }
        if (claudeHome != null) {
            roots.add(new Root(claudeHome.resolve("skills"), claudeHome, "~/.claude/skills (kept between jobs)"));
        }
        for (String volume : agent.docker().volumes()) {
            String[] parts = volume.split(":");
            if (parts.length < 2 || !parts[0].startsWith("/")) {
                continue;
            }
            Path host = Path.of(parts[0]);
            Path target = Path.of(parts[1]).normalize();
            Path skills = Path.of(CONTAINER_HOME, ".claude", "skills");
            if (skills.startsWith(target)) {
                // The volume holds the home, or .claude, or the skills directory itself.
                Path rel = target.relativize(skills);
                roots.add(new Root(rel.toString().isEmpty() ? host : host.resolve(rel), host,
                        "~/.claude/skills (volume " + parts[0] + ")"));
            } else if (target.startsWith(skills)) {
                roots.add(new Root(host, host, "~/" + Path.of(CONTAINER_HOME).relativize(target) + " (volume "
                        + parts[0] + ")"));
            }
        }
        return roots;
    }

    /**
     * The directory the runner keeps as an agent's {@code ~/.claude} between containers, under its sessions
     * directory: a job can leave skills there for the next one.
     */
    public static Path keptHome(Path sessionsDir, String agent) {
        return sessionsDir.resolve(agent.replaceAll("[^A-Za-z0-9_.-]", "_")).toAbsolutePath();
    }

    // ---- scanning -----------------------------------------------------------------------------------------

    /**
     * Scans the skill directories, the working directory's {@code .mcp.json}, and the agent's own MCP servers.
     *
     * @param workingDirectory where {@code .mcp.json} is looked for; null to skip it
     * @param mcpServers       the agent's {@code mcp_servers}
     * @param agentFile        what the flags of {@code mcpServers} name as their file
     */
    public Result scan(List<Root> roots, Path workingDirectory, Map<String, Object> mcpServers, String agentFile) {
        List<RedFlag> flags = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        int[] files = {0};
        long[] budget = {0};
        for (Root root : roots) {
            scanTree(root, flags, notes, budget, files);
        }
        if (workingDirectory != null) {
            Path mcpJson = workingDirectory.resolve(".mcp.json");
            if (Files.isSymbolicLink(mcpJson)) {
                unscanned(flags, mcpJson, Severity.MEDIUM, "is a symbolic link: not followed, so the MCP servers it "
                        + "leads to were not scanned");
            } else if (Files.isRegularFile(mcpJson, LinkOption.NOFOLLOW_LINKS)) {
                files[0]++;
                scanMcpJson(mcpJson, flags, notes);
            }
        }
        new TreeMap<>(mcpServers).forEach((name, config) -> {
            if (config instanceof Map<?, ?> c) {
                scanServer(name, c, agentFile, "mcp_servers." + name, null, flags);
            }
        });
        return new Result(List.copyOf(flags), List.copyOf(notes), files[0]);
    }

    private void scanTree(Root root, List<RedFlag> flags, List<String> notes, long[] budget, int[] files) {
        Path dir = root.dir();
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(dir)) {
            return;
        }
        if (!insideWithoutLinks(dir, root.within())) {
            unscanned(flags, dir, Severity.MEDIUM, root.label() + " is, or lies under, a symbolic link out of "
                    + root.within() + ": not followed, so whatever it leads to was not scanned");
            return;
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Path tree = real(root.within());
        int[] inTree = {0};
        try {
            Files.walkFileTree(dir, EnumSet.noneOf(FileVisitOption.class), MAX_DEPTH, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    Path read = file;
                    BasicFileAttributes a = attrs;
                    if (attrs.isSymbolicLink()) {
                        // A link to a file inside the same tree is read there; anything else is not followed.
                        Path target = real(file);
                        if (!target.startsWith(tree) || !Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
                            unscanned(flags, file, Severity.MEDIUM, "a symbolic link to " + target + (target
                                    .startsWith(tree) ? "" : ", outside " + root.within()) + ": not followed");
                            return FileVisitResult.CONTINUE;
                        }
                        try {
                            read = target;
                            a = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                        } catch (IOException e) {
                            notes.add(file + " could not be read: " + e.getMessage());
                            return FileVisitResult.CONTINUE;
                        }
                    }
                    if (a.isDirectory()) {
                        unscanned(flags, file, Kind.UNSCANNED.severity(), "lies deeper than " + MAX_DEPTH
                                + " levels below " + root.label() + ": not scanned");
                        return FileVisitResult.CONTINUE;
                    }
                    if (!a.isRegularFile()) {
                        return FileVisitResult.CONTINUE;
                    }
                    if (++inTree[0] > MAX_FILES) {
                        unscanned(flags, dir, Kind.UNSCANNED.severity(), "holds more than " + MAX_FILES
                                + " files: the rest were not scanned");
                        return FileVisitResult.TERMINATE;
                    }
                    if (a.size() > MAX_FILE_BYTES) {
                        unscanned(flags, file, Kind.UNSCANNED.severity(), "is larger than " + MAX_FILE_BYTES
                                + " bytes: not scanned");
                        return FileVisitResult.CONTINUE;
                    }
                    if (budget[0] + a.size() > MAX_TOTAL_BYTES) {
                        unscanned(flags, dir, Kind.UNSCANNED.severity(), "holds more than " + MAX_TOTAL_BYTES
                                + " bytes of skills in all: the scan stopped at " + file);
                        return FileVisitResult.TERMINATE;
                    }
                    budget[0] += a.size();
                    if (scanFile(read, file.toString(), flags, notes)) {
                        files[0]++;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    notes.add(file + " could not be read: " + e.getMessage());
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            notes.add(dir + " could not be read: " + e.getMessage());
        }
    }

    private static void unscanned(List<RedFlag> flags, Path file, Severity severity, String message) {
        flags.add(new RedFlag(Kind.UNSCANNED.id(), RedFlag.SKILL, severity, file.toString(), null, null, null, message,
                Kind.UNSCANNED.fix()));
    }

    private static Path real(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path.toAbsolutePath().normalize();
        }
    }

    /** Whether {@code dir} lies under {@code within} by its path alone, with no symbolic link on the way. */
    private static boolean insideWithoutLinks(Path dir, Path within) {
        Path d = dir.toAbsolutePath().normalize();
        Path w = within.toAbsolutePath().normalize();
        if (!d.startsWith(w)) {
            return true; // a root the caller chose outside any tree (a mounted host directory): its own tree
        }
        for (Path p = d; p != null && !p.equals(w); p = p.getParent()) {
            if (Files.isSymbolicLink(p)) {
                return false;
            }
        }
        return true;
    }

    /** Whether the file was scanned (not binary, readable). */
    private boolean scanFile(Path file, String name, List<RedFlag> flags, List<String> notes) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            notes.add(file + " could not be read: " + e.getMessage());
            return false;
        }
        for (int i = 0, n = Math.min(bytes.length, 8192); i < n; i++) {
            if (bytes[i] == 0) {
                if (TEXT_NAME.matcher(name).matches()) {
                    // A script or document with a NUL byte is still read by whoever loads it: not scanned is a flag.
                    unscanned(flags, file, Severity.MEDIUM, "is named as text but holds a NUL byte: not scanned");
                } else {
                    notes.add(name + " is binary: not scanned");
                }
                return false;
            }
        }
        String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\\R", -1);
        scanLines(name, lines, flags);
        return true;
    }

    /** The line rules over one file's lines; also used for the command line of an MCP server. */
    void scanLines(String file, String[] lines, List<RedFlag> flags) {
        Map<Kind, Integer> count = new LinkedHashMap<>();
        List<Integer> dumps = new ArrayList<>();
        List<Integer> reads = new ArrayList<>();
        List<Integer> sends = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (ENV_DUMP.matcher(line).find()) {
                dumps.add(i);
            } else if (CREDENTIAL_READ.matcher(line).find()) {
                reads.add(i);
            }
            if (NET_SEND.matcher(line).find()) {
                sends.add(i);
            }
            int n = i + 1;
            firstMatch(PIPE_TO_SHELL, line).ifPresent(at -> add(flags, count, Kind.PIPE_TO_SHELL, file, n, line, at,
                    "runs what a download returns: whoever controls the address (or the way to it) runs code in the "
                            + "agent with its credentials"));
            firstMatch(DECODED_EXEC, line).ifPresent(at -> add(flags, count, Kind.DECODED_EXEC, file, n, line, at,
                    "decodes data and runs it: the code that runs is not the code anyone reviewed"));
            firstMatch(SKIP_PERMISSIONS, line).ifPresent(at -> add(flags, count, Kind.SKIP_PERMISSIONS, file, n, line,
                    at, "turns off Claude Code's permission checks (the guide's dangerously-skip-permissions red flag)"));
            obfuscation(line).ifPresent(what -> add(flags, count, Kind.OBFUSCATED, file, n, line, what.start(),
                    what.description() + ": hidden content a reviewer cannot read"));
        }
        Set<Integer> exfiltrating = exfiltration(file, lines, dumps, reads, sends, flags, count);
        for (int i = 0; i < lines.length; i++) {
            // A line that runs what it downloads, or sends the environment, is flagged for that, which says more.
            if (FETCHES.matcher(lines[i]).find() && !PIPE_TO_SHELL.matcher(lines[i]).find()
                    && !exfiltrating.contains(i)) {
                for (String host : hosts(lines[i])) {
                    add(flags, count, Kind.UNKNOWN_HOST, file, i + 1, lines[i], lines[i].toLowerCase(Locale.ROOT).indexOf(host),
                            "fetches from " + host + ", which is not on the allowed hosts");
                }
            }
        }
    }

    /**
     * Reads of the environment or credentials with a network send at most a few lines away; returns the lines of
     * the reads and sends it reported. The whole environment counts wherever it goes; one credential counts
     * unless every address on the send's line is an allowed host (a GitHub token sent to api.github.com is its
     * use, not its theft).
     */
    private Set<Integer> exfiltration(String file, String[] lines, List<Integer> dumps, List<Integer> reads,
            List<Integer> sends, List<RedFlag> flags, Map<Kind, Integer> count) {
        Set<Integer> involved = new java.util.HashSet<>();
        for (boolean whole : new boolean[] {true, false}) {
            for (int read : whole ? dumps : reads) {
                for (int send : sends) {
                    if (Math.abs(send - read) > EXFILTRATION_WINDOW || !whole && onlyAllowedHosts(lines[send])) {
                        continue;
                    }
                    Matcher m = (whole ? ENV_DUMP : CREDENTIAL_READ).matcher(lines[read]);
                    m.find();
                    String near = send == read ? "sends it on the same line" : "line " + (send + 1) + " sends it";
                    add(flags, count, Kind.ENV_EXFILTRATION, file, read + 1, lines[read], m.start(), "reads "
                            + (whole ? "the whole environment" : "a credential") + " (" + m.group().strip() + ") and "
                            + near + " over the network: the guide's example of a malicious skill");
                    involved.add(read);
                    involved.add(send);
                    break;
                }
            }
        }
        return involved;
    }

    /** Whether the line names addresses and all of them are allowed or harmless hosts. */
    private boolean onlyAllowedHosts(String line) {
        return URL_HOST.matcher(line).find() && hosts(line).isEmpty();
    }

    /** Hosts on the line that are neither allowed nor harmless. */
    private List<String> hosts(String line) {
        List<String> out = new ArrayList<>();
        Matcher m = URL_HOST.matcher(line);
        while (m.find()) {
            String host = m.group(1).toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
            if (!HARMLESS_HOST.matcher(host).matches() && !allowed(host) && !out.contains(host)) {
                out.add(host);
            }
        }
        return out;
    }

    private boolean allowed(String host) {
        for (String a : allowedHosts) {
            if (host.equals(a) || host.endsWith("." + a)) {
                return true;
            }
        }
        return false;
    }

    private record Obfuscation(int start, String description) {
    }

    private static Optional<Obfuscation> obfuscation(String line) {
        Matcher b64 = BASE64_RUN.matcher(line);
        while (b64.find()) {
            String s = b64.group();
            if (s.chars().anyMatch(Character::isUpperCase) && s.chars().anyMatch(Character::isLowerCase)
                    && s.chars().anyMatch(Character::isDigit)) {
                return Optional.of(new Obfuscation(b64.start(), "a base64 blob of " + s.length() + " characters"));
            }
        }
        Matcher hex = HEX_RUN.matcher(line);
        while (hex.find()) {
            String h = hex.group();
            if (h.chars().anyMatch(Character::isDigit) && h.chars().anyMatch(Character::isLetter)) {
                return Optional.of(new Obfuscation(hex.start(), "a hex blob of " + h.length() + " characters"));
            }
        }
        Matcher esc = ESCAPE_RUN.matcher(line);
        if (esc.find()) {
            return Optional.of(new Obfuscation(esc.start(), "a run of character escapes"));
        }
        return Optional.empty();
    }

    private static Optional<Integer> firstMatch(Pattern p, String line) {
        Matcher m = p.matcher(line);
        return m.find() ? Optional.of(m.start()) : Optional.empty();
    }

    private static void add(List<RedFlag> flags, Map<Kind, Integer> count, Kind kind, String file, int line,
            String text, int at, String message) {
        if (count.merge(kind, 1, Integer::sum) > MAX_FLAGS_PER_KIND) {
            return;
        }
        flags.add(new RedFlag(kind.id(), RedFlag.SKILL, kind.severity(), file, line, null, snippet(text, at), message,
                kind.fix()));
    }

    /** Names of files a skill is read or run from; one of these holding a NUL byte is not an asset. */
    private static final java.util.regex.Pattern TEXT_NAME = java.util.regex.Pattern.compile(
            "(?i)(.*/)?([^./]+|.*\\.(md|markdown|txt|sh|bash|zsh|js|mjs|cjs|ts|py|rb|pl|json|ya?ml|toml))");

    // ---- MCP ----------------------------------------------------------------------------------------------

    private void scanMcpJson(Path file, List<RedFlag> flags, List<String> notes) {
        String text;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                unscanned(flags, file, Severity.MEDIUM, "is larger than " + MAX_FILE_BYTES
                        + " bytes: its MCP servers were not scanned");
                return;
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            notes.add(file + " could not be read: " + e.getMessage());
            return;
        }
        Map<String, Integer> lines = new LinkedHashMap<>();
        Object root;
        try {
            lines = pointerLines(text);
            root = JSON.readValue(text, Object.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            unscanned(flags, file, Severity.MEDIUM, "is not valid JSON (line " + e.getLocation().getLineNr() + ": "
                    + e.getOriginalMessage() + "): its servers were not scanned");
            return;
        } catch (IOException e) {
            notes.add(file + " could not be read: " + e.getMessage());
            return;
        }
        if (!(root instanceof Map<?, ?> r) || !(r.get("mcpServers") instanceof Map<?, ?> servers)) {
            return;
        }
        Map<String, Integer> at = lines;
        new TreeMap<>(servers).forEach((name, config) -> {
            if (config instanceof Map<?, ?> c) {
                String base = "mcpServers." + name;
                scanServer(String.valueOf(name), c, file.toString(), base, field -> at.get(
                        "/mcpServers/" + escape(String.valueOf(name)) + (field == null ? "" : "/" + field)), flags);
            }
        });
    }

    /** JSON pointer of every value and member of {@code text} → the line it starts on. */
    private static Map<String, Integer> pointerLines(String text) throws IOException {
        Map<String, Integer> out = new LinkedHashMap<>();
        try (JsonParser p = new JsonFactory().createParser(text)) {
            while (p.nextToken() != null) {
                if (p.currentToken() == JsonToken.FIELD_NAME) {
                    continue;
                }
                String pointer = p.getParsingContext().pathAsPointer().toString();
                if (p.currentToken() == JsonToken.START_OBJECT || p.currentToken() == JsonToken.START_ARRAY) {
                    pointer = p.getParsingContext().getParent() == null ? ""
                            : p.getParsingContext().getParent().pathAsPointer().toString();
                }
                out.putIfAbsent(pointer, (int) p.currentTokenLocation().getLineNr());
            }
        }
        return out;
    }

    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    /**
     * One server: the package it fetches at each start (pinned? from a URL?), the address it is reached at, and
     * the line rules over its command line.
     *
     * @param lineOf the line of a field ({@code command}, {@code args}, {@code url}, null for the server), or null
     *               when lines are not known (the agent's configuration)
     */
    private void scanServer(String name, Map<?, ?> c, String file, String base,
            Function<String, Integer> lineOf, List<RedFlag> flags) {
        List<String> argv = new ArrayList<>();
        if (c.get("command") instanceof String command && !command.isBlank()) {
            argv.addAll(List.of(command.strip().split("\\s+")));
        }
        if (c.get("args") instanceof List<?> args) {
            args.forEach(a -> argv.add(String.valueOf(a)));
        }
        String argsField = c.get("args") != null ? "args" : "command";
        if (!argv.isEmpty()) {
            String cmdline = String.join(" ", argv);
            List<RedFlag> found = new ArrayList<>();
            scanLines(file, new String[] {cmdline}, found);
            for (RedFlag f : found) {
                flags.add(new RedFlag(f.kind(), RedFlag.MCP, f.severity(), file, line(lineOf, argsField),
                        base + "." + argsField, f.snippet(), "MCP server " + name + " " + f.message(), f.fix()));
            }
            fetchedPackage(argv).ifPresent(pkg -> {
                Kind kind = pkg.remote() ? Kind.REMOTE_PACKAGE : pkg.pinned() ? null : Kind.UNPINNED_PACKAGE;
                if (kind == null) {
                    return;
                }
                String why = pkg.remote()
                        ? ", not a released package: whatever that address serves at each job start runs inside the "
                                + "agent with its credentials"
                        : " without a pinned version: every job fetches whatever the registry serves at that moment, so "
                                + "a hijacked or typo-squatted release runs inside the agent with its credentials";
                flags.add(new RedFlag(kind.id(), RedFlag.MCP, kind.severity(), file, line(lineOf, argsField),
                        base + "." + argsField, snippet(cmdline, cmdline.indexOf(pkg.spec())), "MCP server " + name
                                + " runs " + pkg.runner() + " " + pkg.spec() + why, kind.fix()));
            });
        }
        if (c.get("url") instanceof String url) {
            Matcher m = URL_HOST.matcher(url);
            if (m.find()) {
                String host = m.group(1).toLowerCase(Locale.ROOT);
                if (!HARMLESS_HOST.matcher(host).matches() && !allowed(host)) {
                    flags.add(new RedFlag(Kind.UNKNOWN_HOST.id(), RedFlag.MCP, Kind.UNKNOWN_HOST.severity(), file,
                            line(lineOf, "url"), base + ".url", snippet(url, 0), "MCP server " + name + " is reached at "
                                    + host + ", which is not on the allowed hosts: its tools and their answers come "
                                    + "from there" + (url.regionMatches(true, 0, "http://", 0, 7)
                                            ? ", over plain HTTP" : ""), Kind.UNKNOWN_HOST.fix()));
                }
            }
        }
    }

    private static Integer line(Function<String, Integer> lineOf, String field) {
        if (lineOf == null) {
            return null;
        }
        Integer line = lineOf.apply(field);
        return line != null ? line : lineOf.apply(null);
    }

    /**
     * What an {@code npx}/{@code bunx}/{@code pnpx} or {@code uvx} command fetches at each start.
     *
     * @param runner {@code npx}, {@code uvx}, ...
     * @param spec   the package as written
     * @param pinned whether it names an exact version
     * @param remote whether it comes from a URL, a git repository or a file instead of the registry
     */
    public record FetchedPackage(String runner, String spec, boolean pinned, boolean remote) {
    }

    /** The package {@code argv} fetches when it starts, if it starts through a package runner. */
    public static Optional<FetchedPackage> fetchedPackage(List<String> argv) {
        if (argv.isEmpty()) {
            return Optional.empty();
        }
        String runner = argv.get(0).substring(argv.get(0).lastIndexOf('/') + 1);
        String pkg;
        Pattern pinned;
        if (NPM_RUNNERS.contains(runner)) {
            pkg = packageOf(argv, List.of("-p", "--package"));
            pinned = NPM_PINNED;
        } else if (runner.equals("uvx")) {
            pkg = packageOf(argv, List.of("--from"));
            pinned = PYPI_PINNED;
        } else {
            return Optional.empty();
        }
        if (pkg == null) {
            return Optional.empty();
        }
        boolean remote = REMOTE_SPEC.matcher(pkg).find() && !pkg.startsWith("@");
        return Optional.of(new FetchedPackage(runner, pkg, !remote && pinned.matcher(pkg).matches(), remote));
    }

    /** The value of one of {@code flags}, else the first argument that is no option. */
    private static String packageOf(List<String> argv, List<String> flags) {
        for (int i = 1; i < argv.size(); i++) {
            String arg = argv.get(i);
            for (String flag : flags) {
                if (arg.equals(flag) && i + 1 < argv.size()) {
                    return argv.get(i + 1);
                }
                if (arg.startsWith(flag + "=")) {
                    return arg.substring(flag.length() + 1);
                }
            }
        }
        for (int i = 1; i < argv.size(); i++) {
            if (VALUE_FLAGS.contains(argv.get(i))) {
                i++;
            } else if (!argv.get(i).startsWith("-")) {
                return argv.get(i);
            }
        }
        return null;
    }

    // ---- snippets -------------------------------------------------------------------------------------------

    /**
     * The text around {@code at}, stripped, credentials masked as {@code <redacted>} (masked before cutting, so no
     * part of one is left), and cut to {@value #SNIPPET_CHARS} characters.
     */
    static String snippet(String text, int at) {
        // Masking a whole long line could take long; a window around the match is enough for the snippet, and
        // what a cut at its edges leaves of a token lies outside the part that is kept.
        int pos = Math.max(0, Math.min(at, text.length()));
        int start = Math.max(0, pos - SNIPPET_WINDOW);
        int end = Math.min(text.length(), pos + SNIPPET_WINDOW);
        boolean before = start > 0;
        boolean after = end < text.length();
        text = text.substring(start, end);
        at = pos - start;
        String masked = mask(text);
        // Where the match is after masking: shift by how much the text before it shrank or grew.
        int shift = mask(text.substring(0, at)).length();
        int from = Math.max(0, Math.min(shift, masked.length()) - SNIPPET_CHARS / 4);
        int to = Math.min(masked.length(), from + SNIPPET_CHARS);
        String cut = masked.substring(from, to).strip();
        return (before || from > 0 ? "…" : "") + cut + (after || to < masked.length() ? "…" : "");
    }

    static String mask(String text) {
        String out = TOKEN.matcher(text).replaceAll("<redacted>");
        Matcher m = ASSIGNED_SECRET.matcher(out);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String keep = m.group(1) != null ? m.group(1) : m.group(2) + " ";
            m.appendReplacement(sb, Matcher.quoteReplacement(keep + "<redacted>"));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
