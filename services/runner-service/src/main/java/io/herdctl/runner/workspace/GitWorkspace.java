package io.herdctl.runner.workspace;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

import io.herdctl.events.WorkspaceChanges;

/**
 * A job's changes to its working directory's git repository, read with git and
 * nothing else of the repository trusted (see {@link GitCommand}).
 *
 * <p>Before the job: HEAD, {@code git status} and a fingerprint of each listed file
 * (its content's SHA-256, or a link's target), and of the repository's own hooks and
 * config, which git never lists. After it: the same again. A file whose status and
 * fingerprint are unchanged was not touched by the job and is left out; one changed
 * before the job and again by it is marked {@code preexisting} (its diff, from the
 * pre-job HEAD, shows both); what the job committed is listed from the diff between
 * the two HEADs. Nothing is written to the repository: no index refresh, no
 * {@code git stash create} (which writes objects), no lock. Without a snapshot (it
 * failed), everything changed since HEAD is listed.
 *
 * <p>Diffs are bounded ({@link #MAX_FILE_DIFF_BYTES} a file, {@link WorkspaceChanges#MAX_DIFF_BYTES}
 * in all, files that matter most for tampering first), binary files are listed and
 * not diffed, and files that may hold secrets ({@code .env*}, keys, the repository's
 * config) are listed and never diffed. Files are read without following links: a
 * link is recorded as its target, never read through.
 */
public final class GitWorkspace implements WorkspaceProbe {

    static final int MAX_FILE_DIFF_BYTES = 16 * 1024;
    static final int MAX_PATH_CHARS = 512;
    private static final int MAX_STATUS_BYTES = 8 * 1024 * 1024;
    /** Read past a cut, so a secret that crosses it is still seen whole by the redactor. */
    private static final int REDACTION_CONTEXT = 4096;
    private static final int HASHED_ENTRIES = 5_000;
    private static final long HASHED_FILE_BYTES = 4L * 1024 * 1024;

    private final GitCommand git;
    private final Duration budget;

    /**
     * @param executable     the git program
     * @param commandTimeout how long one git command may take
     * @param budget         how long reading the changes after a job may take in all
     */
    public GitWorkspace(String executable, Duration commandTimeout, Duration budget) {
        this.git = new GitCommand(executable, commandTimeout);
        this.budget = budget;
    }

    /**
     * A repository as found from a working directory: {@code scope} is that directory
     * relative to the root ({@code "."} for the root), the part of the work tree a
     * container job can write and the part listed; what others change elsewhere in the
     * repository meanwhile is not the job's.
     */
    private record Repo(Path top, Path gitDir, String scope, List<String> filters) {
    }

    /** A listed file: git's two letters and what the file holds now. */
    private record Entry(String status, String fingerprint) {
    }

    private record State(Repo repo, String head, Map<String, Entry> entries, Map<String, String> internal,
            boolean complete) implements Snapshot {
    }

    private enum Kind { TRACKED, UNTRACKED, COMMITTED, INTERNAL, RESTORED }

    /** A changed file on its way into the record. */
    private static final class Item {
        final String path;
        final String status;
        final boolean preexisting;
        final Kind kind;
        boolean binary;
        boolean withheld;
        boolean cut;

        Item(String path, String status, boolean preexisting, Kind kind) {
            this.path = path;
            this.status = status;
            this.preexisting = preexisting;
            this.kind = kind;
        }
    }

    @Override
    public Snapshot before(Path workingDirectory) {
        if (repositoryAround(workingDirectory) == null) {
            return null;
        }
        return state(open(workingDirectory), true);
    }

    @Override
    public WorkspaceChanges changes(Path workingDirectory, Snapshot before, String beforeNote, Path agentFile,
            UnaryOperator<String> redact) {
        if (repositoryAround(workingDirectory) == null) {
            return null;
        }
        List<String> notes = new ArrayList<>();
        if (beforeNote != null) {
            notes.add(beforeNote);
        }
        long deadline = System.nanoTime() + budget.toNanos();
        try {
            State pre = before instanceof State s ? s : null;
            if (pre == null) {
                // Nothing recorded which repository this was: only a plain .git directory is read, since a .git file
                // or link the job wrote could lead git, run by the runner, to any repository the runner can read.
                Path dotGit = repositoryAround(workingDirectory).resolve(".git");
                if (Files.isSymbolicLink(dotGit) || !Files.isDirectory(dotGit, LinkOption.NOFOLLOW_LINKS)) {
                    throw new IllegalStateException("no snapshot was taken before the job, and " + dotGit + " is not a "
                            + "plain directory (a .git file or link could point at another repository); not read");
                }
            }
            Repo repo = open(workingDirectory);
            // A .git the job wrote (a new one, or one pointing elsewhere) could be any repository the
            // runner can read; its diff would show that repository's files as this job's changes.
            if (pre == null && beforeNote == null) {
                throw new IllegalStateException("the working directory was in no git repository before the job and is "
                        + "in one now (" + repo.gitDir() + "); not read, as it may not be this workspace's");
            }
            if (pre != null && (!pre.repo().top().equals(repo.top()) || !pre.repo().gitDir().equals(repo.gitDir()))) {
                throw new IllegalStateException("the working directory's repository changed during the job (git "
                        + "directory " + repo.gitDir() + ", was " + pre.repo().gitDir() + "); not read");
            }
            State after = state(repo, true);
            if (!after.complete()) {
                notes.add("git status was longer than " + MAX_STATUS_BYTES / (1024 * 1024) + " MiB; files past it are "
                        + "not listed");
            }
            if (pre == null) {
                notes.add("listed against HEAD: every change since it, not only the job's");
            }
            String base = pre != null ? pre.head() : after.head();
            if (base == null) {
                base = emptyTree(repo);
            }
            List<Item> items = items(repo, pre, after, base);
            String agentPath = relative(repo, agentFile);
            items.sort(Comparator.comparingInt((Item i) -> priority(i.path, agentPath)).thenComparing(i -> i.path));
            int omitted = Math.max(0, items.size() - WorkspaceChanges.MAX_FILES);
            if (omitted > 0) {
                items = new ArrayList<>(items.subList(0, WorkspaceChanges.MAX_FILES));
                notes.add(omitted + " more changed files are not listed (at most " + WorkspaceChanges.MAX_FILES + ")");
            }
            StringBuilder diff = new StringBuilder();
            boolean diffCut = diffs(repo, base, items, redact, diff, deadline, notes);
            List<WorkspaceChanges.ChangedFile> files = items.stream().map(i -> new WorkspaceChanges.ChangedFile(
                    shortPath(redact.apply(i.path)), i.status, i.preexisting, i.binary, i.withheld, i.cut)).toList();
            return new WorkspaceChanges(pre != null ? WorkspaceChanges.BASELINE_SNAPSHOT : WorkspaceChanges.BASELINE_HEAD,
                    pre != null ? pre.head() : null, after.head(), agentPath, files, omitted, diff.toString(), diffCut,
                    notes);
        } catch (GitCommand.Unavailable | IllegalStateException e) {
            if (beforeNote == null || !beforeNote.contains(e.getMessage())) {
                notes.add(e.getMessage());
            }
            return new WorkspaceChanges(WorkspaceChanges.BASELINE_HEAD, null, null, null, List.of(), 0, "", false, notes);
        }
    }

    /** The directory holding {@code .git} at or above {@code dir}, or null: found without running git. */
    static Path repositoryAround(Path dir) {
        for (Path p = dir.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve(".git"), LinkOption.NOFOLLOW_LINKS)) {
                return p;
            }
        }
        return null;
    }

    private Repo open(Path dir) {
        List<String> filters = git.filterDrivers(dir);
        GitCommand.Result r = git.run(dir, filters, 64 * 1024, "rev-parse", "--path-format=absolute", "--show-toplevel",
                "--git-common-dir");
        String[] lines = r.text().split("\n");
        if (r.exitCode() != 0 || lines.length < 2) {
            throw new IllegalStateException("git does not see a work tree at " + dir + " (git rev-parse exited "
                    + r.exitCode() + ")");
        }
        Path top = Path.of(lines[0]);
        try {
            // A work tree elsewhere (core.worktree) would have git read places the job never had.
            Path real = dir.toRealPath();
            Path realTop = top.toRealPath();
            if (!real.startsWith(realTop)) {
                throw new IllegalStateException("the repository's work tree " + top + " does not contain the working "
                        + "directory " + dir + "; not read");
            }
            String scope = realTop.relativize(real).toString();
            return new Repo(realTop, Path.of(lines[1]), scope.isEmpty() ? "." : scope, filters);
        } catch (IOException e) {
            throw new IllegalStateException("cannot resolve the repository at " + top + ": " + e.getMessage());
        }
    }

    private State state(Repo repo, boolean hash) {
        GitCommand.Result head = git.run(repo.top(), repo.filters(), 1024, "rev-parse", "--verify", "-q", "HEAD^{commit}");
        GitCommand.Result status = git.run(repo.top(), repo.filters(), MAX_STATUS_BYTES, "status", "--porcelain=v1",
                "-z", "--untracked-files=all", "--ignore-submodules=dirty", "--no-renames", "--", repo.scope());
        if (status.exitCode() != 0 && !status.truncated()) {
            throw new IllegalStateException("git status exited " + status.exitCode() + " in " + repo.top());
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        String[] records = status.text().split("\0");
        int last = status.truncated() ? records.length - 1 : records.length;
        for (int i = 0; i < last; i++) {
            String rec = records[i];
            if (rec.length() < 4) {
                continue;
            }
            String path = rec.substring(3);
            entries.putIfAbsent(path, new Entry(rec.substring(0, 2),
                    fingerprint(repo.top(), path, hash && entries.size() < HASHED_ENTRIES)));
        }
        return new State(repo, head.exitCode() == 0 ? head.text().strip() : null, entries, internal(repo),
                !status.truncated());
    }

    /** The repository's own files a job could plant something in: hooks, config, excludes, attributes. */
    private static Map<String, String> internal(Repo repo) {
        Map<String, String> files = new TreeMap<>();
        Path hooks = repo.gitDir().resolve("hooks");
        if (Files.isDirectory(hooks, LinkOption.NOFOLLOW_LINKS)) {
            try (DirectoryStream<Path> list = Files.newDirectoryStream(hooks)) {
                for (Path hook : list) {
                    String name = hook.getFileName().toString();
                    if (!name.endsWith(".sample")) {
                        files.put(".git/hooks/" + name, fingerprint(hook, true));
                    }
                }
            } catch (IOException e) {
                files.put(".git/hooks/", "unreadable");
            }
        }
        for (String name : List.of("config", "info/exclude", "info/attributes")) {
            Path f = repo.gitDir().resolve(name);
            String fp = fingerprint(f, true);
            if (!fp.equals("absent")) {
                files.put(".git/" + name, fp);
            }
        }
        return files;
    }

    private List<Item> items(Repo repo, State pre, State after, String base) {
        Map<String, Item> changed = new TreeMap<>();
        after.entries().forEach((path, now) -> {
            Entry was = pre == null ? null : pre.entries().get(path);
            if (pre == null || !now.equals(was)) {
                changed.put(path, new Item(path, now.status(), was != null,
                        now.status().equals("??") ? Kind.UNTRACKED : Kind.TRACKED));
            }
        });
        if (pre == null) {
            return new ArrayList<>(changed.values());
        }
        pre.entries().keySet().stream().filter(p -> !after.entries().containsKey(p))
                .forEach(p -> changed.put(p, new Item(p, "--", true, Kind.RESTORED)));
        if (after.head() != null && !Objects.equals(pre.head(), after.head())) {
            GitCommand.Result r = git.run(repo.top(), repo.filters(), MAX_STATUS_BYTES, "diff", "--name-status", "-z",
                    "--no-renames", "--no-ext-diff", "--no-textconv", "--ignore-submodules=dirty", base, after.head(), "--",
                    repo.scope());
            String[] parts = r.text().split("\0");
            for (int i = 0; i + 1 < parts.length; i += 2) {
                String letter = parts[i].isEmpty() ? "M" : parts[i].substring(0, 1);
                String path = parts[i + 1];
                Item known = changed.get(path);
                if (known == null || known.kind == Kind.RESTORED) {
                    changed.put(path, new Item(path, "C" + letter, known != null, Kind.COMMITTED));
                }
            }
        }
        Map<String, String> was = pre.internal();
        after.internal().forEach((path, now) -> {
            if (!was.containsKey(path)) {
                changed.put(path, new Item(path, "GA", false, Kind.INTERNAL));
            } else if (!was.get(path).equals(now)) {
                changed.put(path, new Item(path, "GM", false, Kind.INTERNAL));
            }
        });
        was.keySet().stream().filter(p -> !after.internal().containsKey(p))
                .forEach(p -> changed.put(p, new Item(p, "GD", false, Kind.INTERNAL)));
        return new ArrayList<>(changed.values());
    }

    /** Appends each file's diff while the budget lasts; returns whether any was cut or left out. */
    private boolean diffs(Repo repo, String base, List<Item> items, UnaryOperator<String> redact, StringBuilder out,
            long deadline, List<String> notes) {
        int used = 0;
        boolean cut = false;
        boolean late = false;
        for (Item item : items) {
            if (mayHoldSecrets(item.path)) {
                item.withheld = true;
                continue;
            }
            if (item.kind == Kind.RESTORED || item.path.endsWith("/")
                    || (item.kind == Kind.INTERNAL && (!item.path.startsWith(".git/hooks/") || item.status.equals("GD")))) {
                continue;
            }
            int room = Math.min(MAX_FILE_DIFF_BYTES, WorkspaceChanges.MAX_DIFF_BYTES - used);
            if (room <= 0 || late || System.nanoTime() > deadline) {
                if (!late && room > 0) {
                    late = true;
                    notes.add("reading diffs took longer than " + budget.toSeconds() + " s; the rest are left out");
                }
                item.cut = true;
                cut = true;
                continue;
            }
            GitCommand.Result r = diffOf(repo, base, item, room + REDACTION_CONTEXT);
            String text = r.text();
            if (text.isEmpty()) {
                continue;
            }
            item.binary = text.lines().anyMatch(l -> l.startsWith("Binary files ") && l.endsWith(" differ"));
            byte[] bytes = redact.apply(text).getBytes(StandardCharsets.UTF_8);
            if (bytes.length > room || r.truncated()) {
                item.cut = true;
                cut = true;
                String marker = "[diff of " + item.path + " cut at " + room + " bytes]\n";
                int keep = cutPoint(bytes, Math.max(0, room - marker.length() - 64));
                String kept = new String(bytes, 0, keep, StandardCharsets.UTF_8);
                out.append(kept).append(kept.endsWith("\n") || kept.isEmpty() ? "" : "\n").append(redact.apply(marker));
                used += room;
            } else {
                out.append(new String(bytes, StandardCharsets.UTF_8));
                used += bytes.length;
            }
        }
        return cut;
    }

    private GitCommand.Result diffOf(Repo repo, String base, Item item, int max) {
        return switch (item.kind) {
            case UNTRACKED -> git.run(repo.top(), repo.filters(), max, "diff", "--no-index", "--no-color", "--no-ext-diff",
                    "--no-textconv", "--", "/dev/null", item.path);
            case INTERNAL -> git.run(repo.top(), repo.filters(), max, "diff", "--no-index", "--no-color", "--no-ext-diff",
                    "--no-textconv", "--", "/dev/null",
                    repo.gitDir().resolve(item.path.substring(".git/".length())).toString());
            default -> git.run(repo.top(), repo.filters(), max, "diff", "--no-color", "--no-ext-diff", "--no-textconv",
                    "--no-renames", "--ignore-submodules=dirty", base, "--", item.path);
        };
    }

    /** The last line end at or before {@code max} (or {@code max} on a UTF-8 character boundary). */
    static int cutPoint(byte[] bytes, int max) {
        if (bytes.length <= max) {
            return bytes.length;
        }
        for (int i = max; i > 0; i--) {
            if (bytes[i - 1] == '\n') {
                return i;
            }
        }
        int i = max;
        while (i > 0 && (bytes[i] & 0xC0) == 0x80) {
            i--;
        }
        return i;
    }

    private String emptyTree(Repo repo) {
        GitCommand.Result r = git.run(repo.top(), repo.filters(), 1024, "hash-object", "-t", "tree", "--stdin");
        if (r.exitCode() != 0) {
            throw new IllegalStateException("git hash-object exited " + r.exitCode());
        }
        return r.text().strip();
    }

    /** Where a file is, relative to the repository's root, when it is inside it. */
    private static String relative(Repo repo, Path file) {
        if (file == null) {
            return null;
        }
        try {
            Path real = file.toRealPath();
            return real.startsWith(repo.top()) ? repo.top().relativize(real).toString() : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Files that could change how agents run (or run code on a developer's machine) come first. */
    private static int priority(String path, String agentFile) {
        String lower = path.toLowerCase(Locale.ROOT);
        if (lower.startsWith(".git/")) {
            return 0;
        }
        if (path.equals(agentFile) || lower.startsWith(".github/")
                || lower.contains(".claude/") || lower.endsWith("herdctl.yaml") || lower.endsWith("herdctl.yml")) {
            return 1;
        }
        return 2;
    }

    /** Listed, never diffed: a diff of these would put the secrets they hold on a topic. */
    static boolean mayHoldSecrets(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        return name.startsWith(".env") || path.equals(".git/config") || name.endsWith(".pem") || name.endsWith(".key")
                || name.endsWith(".p12") || name.endsWith(".pfx") || name.startsWith("id_rsa")
                || name.startsWith("id_ed25519") || name.startsWith("id_ecdsa") || name.equals(".netrc")
                || name.equals(".git-credentials") || name.equals(".npmrc") || name.equals(".pypirc")
                || name.equals("credentials") || name.equals("credentials.json") || name.equals(".credentials.json")
                || name.equals(".pgpass") || name.endsWith(".tfvars") || name.endsWith(".tfstate")
                || name.equals("kubeconfig") || path.endsWith(".kube/config") || path.endsWith(".docker/config.json");
    }

    private static String shortPath(String path) {
        return path.length() <= MAX_PATH_CHARS ? path : path.substring(0, MAX_PATH_CHARS) + "…";
    }

    private static String fingerprint(Path top, String relative, boolean hash) {
        Path p = top.resolve(relative).normalize();
        try {
            Path parent = p.getParent();
            if (!p.startsWith(top) || parent == null || !parent.toRealPath().startsWith(top)) {
                return "outside";
            }
        } catch (IOException e) {
            return "absent";
        }
        return fingerprint(p, hash);
    }

    /** What a file holds now, read without following a link. */
    private static String fingerprint(Path p, boolean hash) {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (a.isSymbolicLink()) {
                return "link:" + Files.readSymbolicLink(p);
            }
            if (!a.isRegularFile()) {
                return (a.isDirectory() ? "dir:" : "other:") + a.lastModifiedTime().toMillis();
            }
            if (!hash || a.size() > HASHED_FILE_BYTES) {
                return "file:" + a.size() + ":" + a.lastModifiedTime().toMillis();
            }
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
                byte[] chunk = new byte[64 * 1024];
                int n;
                while ((n = in.read(chunk)) >= 0) {
                    sha.update(chunk, 0, n);
                }
            }
            return "sha256:" + HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchFileException e) {
            return "absent";
        } catch (IOException e) {
            return "unreadable";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
