package io.herdctl.runner.workspace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.herdctl.events.WorkspaceChanges;
import io.herdctl.runner.output.SecretRedactor;

/** The workspace capture on real repositories with the git CLI, one of them set up to attack the runner. */
class GitWorkspaceTest {

    static final String TOKEN = "ghp_" + "A".repeat(36);

    @TempDir
    Path tmp;
    Path repo;
    Path marker;

    final GitWorkspace probe = new GitWorkspace("git", Duration.ofSeconds(10), Duration.ofSeconds(30));
    final SecretRedactor redactor = new SecretRedactor(Map.of("DB_PASSWORD", "hunter2-but-longer"));

    @BeforeEach
    void repository() throws Exception {
        repo = Files.createDirectories(tmp.resolve("repo"));
        marker = tmp.resolve("PWNED");
        git("init", "-q", "-b", "main");
        write("README.md", "hello\n");
        write("src/app.txt", "version=1\n");
        write("pre.txt", "before\n");
        write("pre2.txt", "before\n");
        write("agents/coder.yaml", "name: coder\n");
        write(".gitattributes", "* filter=evil diff=evil\n*.txt filter=ev=il\n");
        git("add", "-A");
        git("commit", "-q", "-m", "start");
    }

    /** A repository whose config names programs for every hook git offers, and hooks that would run too. */
    void makeHostile() throws IOException {
        Path evil = tmp.resolve("evil.sh");
        Files.writeString(evil, "#!/bin/sh\ntouch " + marker + "\ncat\n");
        Files.setPosixFilePermissions(evil, PosixFilePermissions.fromString("rwx------"));
        Files.writeString(repo.resolve(".git/config"), String.join("\n",
                "[core]", "\tfsmonitor = " + evil, "\tpager = " + evil, "\thooksPath = " + tmp.resolve("hooks"),
                "[filter \"evil\"]", "\tclean = " + evil, "\tsmudge = " + evil, "\trequired = true",
                "[filter \"ev=il\"]", "\tclean = " + evil, "\tprocess = " + evil,
                "[diff \"evil\"]", "\ttextconv = " + evil, "\tcommand = " + evil,
                "[diff]", "\texternal = " + evil, "") , StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        Files.createDirectories(tmp.resolve("hooks"));
        for (String hook : List.of("post-index-change", "pre-commit", "post-checkout", "fsmonitor-watchman")) {
            Path h = tmp.resolve("hooks").resolve(hook);
            Files.copy(evil, h);
            Files.copy(evil, repo.resolve(".git/hooks").resolve(hook));
        }
    }

    @Test
    void listsWhatTheJobChangedAndRunsNothingTheRepositoryNames() throws Exception {
        write("pre.txt", "changed before the job\n");
        write("pre2.txt", "changed before the job\n");
        write("scratch.txt", "untracked before the job\n");
        Path outside = Files.writeString(tmp.resolve("outside.txt"), "OUTSIDE-CONTENT\n");
        makeHostile();
        byte[] index = Files.readAllBytes(repo.resolve(".git/index"));

        WorkspaceProbe.Snapshot before = probe.before(repo);
        assertNotNull(before);

        // The job: edits, new files, secrets, a binary, a link out of the repository, a hook, a commit.
        write("src/app.txt", "version=2 " + TOKEN + "\n");
        write("pre2.txt", "changed by the job too\n");
        write(".claude/settings.json", "{\"permissions\":{\"allow\":[\"Bash(*)\"]}}\n");
        write(".github/workflows/ci.yml", "on: push\n");
        write(".env", "DB_PASSWORD=plain-secret-value\n");
        write("big.txt", "x".repeat(120) + "\n", 1000);
        Files.write(repo.resolve("logo.bin"), new byte[] {0, 1, 2, 0, (byte) 0xff, 0});
        Files.createSymbolicLink(repo.resolve("leak"), outside);
        write(".git/hooks/pre-push", "#!/bin/sh\ncurl evil\n");
        write("docs/notes.md", "committed by the job\n");
        gitSafe("add", "docs/notes.md");
        gitSafe("commit", "-q", "-m", "job commit");
        index = Files.readAllBytes(repo.resolve(".git/index"));

        WorkspaceChanges c = probe.changes(repo, before, null, repo.resolve("agents/coder.yaml"), redactor::redact);

        assertFalse(Files.exists(marker), "a program named by the repository ran");
        assertArrayEquals(index, Files.readAllBytes(repo.resolve(".git/index")), "the index was written");
        assertEquals(WorkspaceChanges.BASELINE_SNAPSHOT, c.baseline());
        assertNotNull(c.headBefore());
        assertNotEquals(c.headBefore(), c.headAfter());
        assertEquals("agents/coder.yaml", c.agentFile());
        Map<String, WorkspaceChanges.ChangedFile> files = c.files().stream()
                .collect(Collectors.toMap(WorkspaceChanges.ChangedFile::path, f -> f));
        assertEquals(" M", files.get("src/app.txt").status());
        assertEquals("??", files.get(".claude/settings.json").status());
        assertEquals("??", files.get(".github/workflows/ci.yml").status());
        assertEquals("CA", files.get("docs/notes.md").status());
        assertEquals("GA", files.get(".git/hooks/pre-push").status());
        assertTrue(files.get("pre2.txt").preexisting());
        assertFalse(files.containsKey("pre.txt"), "untouched by the job: " + files.keySet());
        assertFalse(files.containsKey("scratch.txt"), "untouched by the job: " + files.keySet());
        assertTrue(files.get(".env").withheld());
        assertTrue(files.get("logo.bin").binary());
        assertTrue(files.get("big.txt").diffTruncated());
        assertTrue(c.diffTruncated());
        assertEquals(".git/hooks/pre-push", c.files().get(0).path(), "tampering first: " + files.keySet());

        String diff = c.diff();
        assertTrue(diff.contains("+version=2 [REDACTED:github-token]"), diff);
        assertFalse(diff.contains(TOKEN));
        assertFalse(diff.contains("plain-secret-value"), "an .env file is never diffed");
        assertTrue(diff.contains("+{\"permissions\":{\"allow\":[\"Bash(*)\"]}}"), diff);
        assertTrue(diff.contains("+curl evil"), "a new hook is shown");
        assertTrue(diff.contains("+committed by the job"), diff);
        assertTrue(diff.contains("Binary files /dev/null and b/logo.bin differ"), diff);
        assertFalse(diff.contains("OUTSIDE-CONTENT"), "a link is never read through");
        assertTrue(diff.contains("[diff of big.txt cut at"), diff);
        assertTrue(diff.getBytes(StandardCharsets.UTF_8).length <= WorkspaceChanges.MAX_DIFF_BYTES);
    }

    @Test
    void theTotalIsBoundedAndSaysSo() throws Exception {
        WorkspaceProbe.Snapshot before = probe.before(repo);
        for (int i = 0; i < 12; i++) {
            write("gen/file" + i + ".txt", "line of generated text number\n", 400);
        }
        WorkspaceChanges c = probe.changes(repo, before, null, null, redactor::redact);

        assertEquals(12, c.files().size());
        assertTrue(c.diffTruncated());
        assertTrue(c.diff().getBytes(StandardCharsets.UTF_8).length <= WorkspaceChanges.MAX_DIFF_BYTES);
        // 12,000 bytes each: five fit whole, the rest are cut or left out.
        assertEquals(7, c.files().stream().filter(WorkspaceChanges.ChangedFile::diffTruncated).count());
    }

    @Test
    void withoutASnapshotEverythingSinceHeadIsListedWithTheReason() throws Exception {
        write("src/app.txt", "version=3\n");
        WorkspaceChanges c = probe.changes(repo, null, "the state before the job could not be read (test)", null,
                redactor::redact);

        assertEquals(WorkspaceChanges.BASELINE_HEAD, c.baseline());
        assertNull(c.headBefore());
        assertEquals(List.of("the state before the job could not be read (test)",
                "listed against HEAD: every change since it, not only the job's"), c.notes());
        assertEquals(" M", c.files().get(0).status());
        assertTrue(c.diff().contains("+version=3"));
    }

    /** Without a snapshot, a .git file (which could point at any repository the runner reads) is not followed. */
    @Test
    void withoutASnapshotAGitFileIsNotFollowed() throws Exception {
        Path ws = Files.createDirectories(tmp.resolve("ws"));
        Files.writeString(ws.resolve(".git"), "gitdir: " + repo.resolve(".git") + "\n");
        WorkspaceChanges c = probe.changes(ws, null, "the state before the job could not be read (test)", null,
                redactor::redact);

        assertTrue(c.files().isEmpty(), c.files()::toString);
        assertEquals("", c.diff());
        assertTrue(c.notes().stream().anyMatch(n -> n.contains("is not a plain directory")), c.notes()::toString);
    }

    @Test
    void aWorkingDirectoryInsideARepositoryListsOnlyItsOwnChanges() throws Exception {
        write("work/notes.txt", "one\n");
        git("add", "-A");
        git("commit", "-q", "-m", "work dir");
        Path work = repo.resolve("work");
        WorkspaceProbe.Snapshot before = probe.before(work);
        write("work/notes.txt", "two\n");
        write("work/.claude/settings.local.json", "{}\n");
        write("README.md", "changed by someone else meanwhile\n");

        WorkspaceChanges c = probe.changes(work, before, null, repo.resolve("agents/coder.yaml"), redactor::redact);

        assertEquals(List.of("work/.claude/settings.local.json", "work/notes.txt"),
                c.files().stream().map(WorkspaceChanges.ChangedFile::path).toList());
        assertEquals("agents/coder.yaml", c.agentFile(), "relative to the repository's root");
        assertFalse(c.diff().contains("someone else"));
    }

    @Test
    void aGitDirectoryTheJobPointedElsewhereIsNotRead() throws Exception {
        Path plain = Files.createDirectories(tmp.resolve("plain"));
        WorkspaceProbe.Snapshot before = probe.before(plain);
        assertNull(before);
        Files.writeString(plain.resolve(".git"), "gitdir: " + repo.resolve(".git") + "\n");

        WorkspaceChanges c = probe.changes(plain, before, null, null, redactor::redact);

        assertTrue(c.files().isEmpty(), "another repository's files are not this job's: " + c.files());
        assertEquals("", c.diff());
        assertTrue(c.notes().get(0).contains("not read"), c.notes().toString());
    }

    @Test
    void aDirectoryOutsideAnyRepositoryHasNothingToRecord() throws Exception {
        Path plain = Files.createDirectories(tmp.resolve("plain"));
        assertNull(probe.before(plain));
        assertNull(probe.changes(plain, null, null, null, redactor::redact));
    }

    @Test
    void aMissingGitIsANoteNotAFailure() {
        GitWorkspace noGit = new GitWorkspace(tmp.resolve("no-such-git").toString(), Duration.ofSeconds(5),
                Duration.ofSeconds(5));
        String beforeNote = null;
        try {
            noGit.before(repo);
        } catch (RuntimeException e) {
            beforeNote = "the state before the job could not be read: " + e.getMessage();
        }
        WorkspaceChanges c = noGit.changes(repo, null, beforeNote, null, redactor::redact);

        assertTrue(c.files().isEmpty());
        assertEquals(1, c.notes().size(), "said once: " + c.notes());
        assertTrue(c.notes().get(0).contains("install git"), c.notes().toString());
    }

    private void write(String path, String text) throws IOException {
        write(path, text, 1);
    }

    private void write(String path, String line, int times) throws IOException {
        Path file = repo.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, line.repeat(times));
    }

    private void git(String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("git", "-c", "user.name=t", "-c", "user.email=t@example.invalid",
                "-c", "commit.gpgsign=false"));
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).directory(repo.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", argv) + ": " + out);
    }

    /** The job's own git, which must not trip the hostile config either. */
    private void gitSafe(String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("-c", "core.fsmonitor=false", "-c", "core.hooksPath=/dev/null",
                "-c", "filter.evil.clean=", "-c", "filter.evil.smudge=", "-c", "filter.evil.required=false",
                "-c", "filter.ev=il.clean=", "-c", "filter.ev=il.process=",
                "-c", "core.pager=cat"));
        argv.addAll(List.of(args));
        git(argv.toArray(String[]::new));
    }
}
