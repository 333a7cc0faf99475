package io.herdctl.runner.runtime.host;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.herdctl.events.AgentSpec;
import io.herdctl.events.JobRequested;
import io.herdctl.events.OutputStream;
import io.herdctl.events.TriggerType;
import io.herdctl.runner.docker.JobRejectedException;
import io.herdctl.runner.runtime.Execution;
import io.herdctl.runner.runtime.JobRuntime.Launch;
import io.herdctl.runner.runtime.LineSplitter;
import io.herdctl.runner.runtime.OutputSink;

/** Runs the scripted Claude CLI stand-in (agent-images/test-agent/claude) as a real child process. */
class HostProcessRuntimeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SETSID = Stream.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid"))
            .filter(Files::isExecutable).findFirst().orElse(null);
    /** What {@code sh} adds to the environment of the commands it runs by itself. */
    private static final Set<String> SHELL_OWN = Set.of("PWD", "OLDPWD", "SHLVL", "_");

    @TempDir
    Path temp;

    private Path workDir;
    private Path home;
    private Path bin;
    private Path claude;
    private final List<Execution> started = new ArrayList<>();

    @BeforeEach
    void claudeStandIn() throws IOException {
        workDir = Files.createDirectory(temp.resolve("work"));
        home = Files.createDirectory(temp.resolve("home"));
        bin = Files.createDirectory(temp.resolve("bin"));
        Path script = Path.of("../../agent-images/test-agent/claude").toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(script), "the Claude CLI stand-in is at " + script);
        claude = Files.isExecutable(script) ? script : script("claude-stand-in", Files.readString(script));
    }

    @AfterEach
    void releaseEverything() {
        started.forEach(Execution::release);
    }

    @Test
    void aSuccessfulRunStreamsEveryLineInOrderFromTheWorkingDirectoryAndExitsZero() throws Exception {
        Execution run = start(runtime(), launch("scenario:success", Map.of()));
        Recorder out = new Recorder();

        assertEquals(0, run.follow(out));

        assertEquals("host:" + pid(run), run.id());
        List<JsonNode> events = out.json();
        assertEquals(List.of("system", "assistant", "assistant", "user", "assistant", "result"),
                events.stream().map(e -> e.path("type").asText()).toList());
        assertEquals(workDir.toString(), events.get(0).path("cwd").asText());
        assertEquals("Prompt received: scenario:success", text(events.get(1)));
        assertTrue(out.lines.stream().allMatch(l -> l.stream() == OutputStream.STDOUT && !l.continues()));
    }

    @Test
    void manyLinesArriveInOrderAndTheLastOnesAreNotLost() throws Exception {
        Execution run = start(runtime(), launch("scenario:many:500", Map.of()));
        Recorder out = new Recorder();

        assertEquals(0, run.follow(out));

        List<JsonNode> events = out.json();
        List<String> said = events.stream().filter(e -> e.path("type").asText().equals("assistant")).map(e -> text(e))
                .toList();
        assertEquals(500, said.size());
        for (int i = 0; i < said.size(); i++) {
            assertEquals("line " + (i + 1), said.get(i));
        }
        assertEquals("printed 500 lines", events.get(events.size() - 1).path("result").asText());
    }

    @Test
    void stderrLinesArriveMarkedAsStderr() throws Exception {
        Execution run = start(runtime(), launch("scenario:stderr", Map.of()));
        Recorder out = new Recorder();

        assertEquals(0, run.follow(out));

        assertEquals(List.of("warning: this line goes to stderr", "error: and so does this one"),
                out.texts(OutputStream.STDERR));
        List<String> stdout = out.texts(OutputStream.STDOUT);
        assertTrue(stdout.get(stdout.size() - 1).contains("\"result\""), stdout.toString());
    }

    @Test
    void aFailedRunReturnsItsExitCode() throws Exception {
        Execution run = start(runtime(), launch("scenario:fail", Map.of()));

        assertEquals(3, run.follow(new Recorder()));
    }

    @Test
    void argumentsArriveExactlyAsWrittenBecauseNoShellIsInvolved() throws Exception {
        List<String> argv = List.of("claude", "-p",
                "scenario:argv costs $HOME and `id` and $(id) \"quoted\" 'single' ; | & *",
                "--output-format", "stream-json", "--verbose", "--system-prompt", "be $USER's \\\"friend\\\"", "");
        Execution run = start(runtime(), new Launch(job(workDir.toString()), argv, Map.of()));
        Recorder out = new Recorder();

        assertEquals(0, run.follow(out));

        List<String> echoed = out.said().stream().filter(t -> t.startsWith("arg: ")).map(t -> t.substring(5)).toList();
        assertEquals(argv.subList(1, argv.size()), echoed);
    }

    @Test
    void onlyHarmlessRunnerVariablesAndTheJobEnvReachTheProcess() throws Exception {
        Map<String, String> runnerEnv = new HashMap<>(runnerEnv());
        runnerEnv.put("GITHUB_TOKEN", "ghp_belongs_to_the_runner");
        runnerEnv.put("AWS_SECRET_ACCESS_KEY", "runner-secret");
        runnerEnv.put("TZ", "UTC");
        HostProcessRuntime runtime = new HostProcessRuntime(claude.toString(), runnerEnv);
        Recorder names = new Recorder();

        assertEquals(0, start(runtime, launch("scenario:argv", Map.of("JOB_TOKEN", "t"))).follow(names));

        String envLine = names.said().stream().filter(t -> t.startsWith("env: ")).findFirst().orElseThrow();
        Set<String> seen = new TreeSet<>(Arrays.asList(envLine.substring(5).trim().split(" ")));
        seen.removeAll(SHELL_OWN);
        assertEquals(new TreeSet<>(Set.of("PATH", "HOME", "LANG", "TZ", "TERM", "JOB_TOKEN")), seen);

        Recorder values = new Recorder();
        Launch secret = launch("scenario:secret", Map.of("ANTHROPIC_API_KEY", "sk-ant-job"));
        assertEquals(0, start(runtime, secret).follow(values));
        String said = values.said().get(0);
        assertTrue(said.contains("my key: sk-ant-job"), said);
        assertTrue(said.contains("github: none"), said);
    }

    @Test
    void theJobEnvWinsOverTheRunnerVariables() {
        Map<String, String> env = HostProcessRuntime.environment(
                Map.of("PATH", "/usr/bin", "HOME", "/home/runner", "SECRET", "s", "TERM", "dumb"),
                Map.of("HOME", "/home/job", "API_KEY", "k"));

        assertEquals(Map.of("PATH", "/usr/bin", "HOME", "/home/job", "TERM", "xterm-256color", "API_KEY", "k"), env);
    }

    @Test
    void aMissingClaudeCliFailsAtOnceSayingHowToFixIt() throws IOException {
        HostProcessRuntime notOnPath = new HostProcessRuntime("claude", Map.of("PATH", bin + ":/nonexistent"));
        JobRejectedException e = assertTimeoutPreemptively(Duration.ofSeconds(1),
                () -> assertThrows(JobRejectedException.class, () -> notOnPath.start(launch("hi", Map.of()))));
        assertEquals("Claude CLI not found: \"claude\" is not on the PATH of the runner (" + bin + ":/nonexistent); "
                + "install Claude Code (npm install -g @anthropic-ai/claude-code) or set herdctl.runner.claude-command",
                e.getMessage());

        e = assertThrows(JobRejectedException.class,
                () -> new HostProcessRuntime("claude", Map.of()).start(launch("hi", Map.of())));
        assertTrue(e.getMessage().contains("(PATH is not set)"), e.getMessage());

        e = assertThrows(JobRejectedException.class, () -> new HostProcessRuntime("/opt/nowhere/claude", runnerEnv())
                .start(launch("hi", Map.of())));
        assertEquals("Claude CLI not found: \"/opt/nowhere/claude\" does not exist; install Claude Code "
                + "(npm install -g @anthropic-ai/claude-code) or set herdctl.runner.claude-command", e.getMessage());

        Path notExecutable = Files.writeString(bin.resolve("claude"), "#!/bin/sh\n");
        e = assertThrows(JobRejectedException.class,
                () -> new HostProcessRuntime("claude", Map.of("PATH", bin.toString())).start(launch("hi", Map.of())));
        assertTrue(e.getMessage().startsWith("Claude CLI " + notExecutable + " is not executable"), e.getMessage());

        e = assertThrows(JobRejectedException.class, () -> new HostProcessRuntime("bin/claude", runnerEnv())
                .start(launch("hi", Map.of())));
        assertTrue(e.getMessage().contains("must be an absolute path or a command name"), e.getMessage());
    }

    @Test
    void theClaudeCliIsFoundOnThePathOfTheRunner() throws Exception {
        script("claude", "echo found \"$1\"\n");
        HostProcessRuntime runtime = new HostProcessRuntime("claude", Map.of("PATH", "/nonexistent::relative:" + bin));
        Recorder out = new Recorder();

        assertEquals(0, start(runtime, launch("hi", Map.of())).follow(out));

        assertEquals(List.of("found -p"), out.texts(OutputStream.STDOUT));
    }

    @Test
    void aMissingOrRelativeWorkingDirectoryIsRejected() throws IOException {
        HostProcessRuntime runtime = runtime();
        Path gone = workDir.resolve("gone");

        JobRejectedException e = assertThrows(JobRejectedException.class,
                () -> runtime.start(launch(job(gone.toString()))));
        assertEquals("agent \"reviewer\": working directory " + gone + " does not exist on this runner",
                e.getMessage());

        Path file = Files.writeString(workDir.resolve("file"), "");
        e = assertThrows(JobRejectedException.class, () -> runtime.start(launch(job(file.toString()))));
        assertEquals("agent \"reviewer\": working directory " + file + " is not a directory on this runner",
                e.getMessage());

        e = assertThrows(JobRejectedException.class, () -> runtime.start(launch(job("projects/x"))));
        assertEquals("agent \"reviewer\": working directory \"projects/x\" is not an absolute path", e.getMessage());
    }

    @Test
    void stdinIsClosedSoTheCommandNeverWaitsOnIt() throws Exception {
        Path reads = script("reads", "if read line; then echo \"got: $line\"; else echo eof; fi\n");
        Recorder out = new Recorder();

        int exit = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> start(new HostProcessRuntime(reads.toString(), runnerEnv()), launch("hi", Map.of())).follow(out));

        assertEquals(0, exit);
        assertEquals(List.of("eof"), out.texts(OutputStream.STDOUT));
    }

    @Test
    void anOverlongLineArrivesInPiecesMarkedAsContinuing() throws Exception {
        int length = LineSplitter.MAX_LINE_BYTES * 2 + 10;
        Path longLine = script("long-line", "head -c " + length + " /dev/zero | tr '\\0' a; echo; echo after\n");
        Recorder out = new Recorder();

        HostProcessRuntime runtime = new HostProcessRuntime(longLine.toString(), runnerEnv());
        assertEquals(0, start(runtime, launch("hi", Map.of())).follow(out));

        assertEquals(List.of(true, true, false, false), out.lines.stream().map(Line::continues).toList());
        assertEquals(length, out.lines.subList(0, 3).stream().mapToInt(l -> l.text().length()).sum());
        assertEquals("after", out.lines.get(3).text());
    }

    @Test
    void killStopsTheCommandAndTheProcessesItStartedAndFollowReturnsAtOnce() throws Exception {
        assumeTrue(SETSID != null, "setsid is not installed");
        killsTheWholeJob(new HostProcessRuntime(claude.toString(), runnerEnv(), SETSID));
    }

    @Test
    void killReachesTheProcessesTheCommandStartedWithoutSetsidToo() throws Exception {
        killsTheWholeJob(new HostProcessRuntime(claude.toString(), runnerEnv(), null));
    }

    private void killsTheWholeJob(HostProcessRuntime runtime) throws Exception {
        Execution run = start(runtime, launch("scenario:long:30", Map.of()));
        Recorder out = new Recorder();
        CompletableFuture<Integer> followed = followInBackground(run, out);
        ProcessHandle root = ProcessHandle.of(pid(run)).orElseThrow();
        await().atMost(Duration.ofSeconds(10)).until(() -> out.said().contains("Working for 30 seconds.")
                && root.descendants().findAny().isPresent());
        List<ProcessHandle> tree = Stream.concat(Stream.of(root), root.descendants()).toList();

        long killed = System.nanoTime();
        run.kill(Duration.ofSeconds(1));
        int exit = followed.get(10, TimeUnit.SECONDS);

        // SIGTERM, not the SIGKILL that follows the grace: the command ended inside it.
        assertEquals(128 + 15, exit, "ended by SIGTERM after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed)
                + " ms");
        assertFalse(out.said().contains("Finished the long task."));
        tree.forEach(p -> assertFalse(running(p), "process " + p.pid() + " still runs"));
        assertNothingLeftInTheSessionOf(root.pid());
    }

    @Test
    void aCommandThatIgnoresSigtermIsKilledOnceTheGraceHasPassed() throws Exception {
        Path stubborn = script("stubborn", "trap '' TERM\necho started\nsleep 30\necho survived\n");
        Execution run = start(new HostProcessRuntime(stubborn.toString(), runnerEnv()), launch("hi", Map.of()));
        Recorder out = new Recorder();
        CompletableFuture<Integer> followed = followInBackground(run, out);
        ProcessHandle root = ProcessHandle.of(pid(run)).orElseThrow();
        await().atMost(Duration.ofSeconds(10)).until(() -> root.descendants().findAny().isPresent());
        List<ProcessHandle> tree = Stream.concat(Stream.of(root), root.descendants()).toList();

        long killed = System.nanoTime();
        run.kill(Duration.ofMillis(500));
        int exit = followed.get(10, TimeUnit.SECONDS);

        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
        assertTrue(took >= 450, "the grace was granted: took " + took + " ms");
        assertEquals(128 + 9, exit, "ended by SIGKILL");
        assertEquals(List.of("started"), out.texts(OutputStream.STDOUT));
        tree.forEach(p -> assertFalse(running(p), "process " + p.pid() + " still runs"));
    }

    @Test
    void killBeforeFollowAndAfterTheEndIsHarmless() throws Exception {
        Execution run = start(runtime(), launch("scenario:long:30", Map.of()));

        run.kill(Duration.ofSeconds(1));
        run.kill(Duration.ofSeconds(1));
        int exit = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> run.follow(new Recorder()));

        assertNotEquals(0, exit);
        run.kill(Duration.ofSeconds(1));
    }

    @Test
    void followDoesNotWaitForAProcessLeftBehindAndReleaseStopsIt() throws Exception {
        assumeTrue(SETSID != null && Files.isDirectory(Path.of("/proc/self")), "needs setsid and /proc");
        Path leaves = script("leaves", "sleep 30 &\necho \"$!\"\nexit 0\n");
        Execution run = start(new HostProcessRuntime(leaves.toString(), runnerEnv(), SETSID), launch("hi", Map.of()));
        Recorder out = new Recorder();

        long began = System.nanoTime();
        int exit = assertTimeoutPreemptively(Duration.ofSeconds(15), () -> run.follow(out));

        assertEquals(0, exit);
        // Well before the 30 s the process left behind would take.
        assertTrue(System.nanoTime() - began < HostExecution.DRAIN.toNanos() + TimeUnit.SECONDS.toNanos(10));
        long sleepPid = Long.parseLong(out.texts(OutputStream.STDOUT).get(0));
        ProcessHandle leftBehind = ProcessHandle.of(sleepPid).orElseThrow();
        assertTrue(running(leftBehind), "the background sleep outlives the command");

        run.release();

        await().atMost(Duration.ofSeconds(2)).until(() -> !running(leftBehind));
        assertNothingLeftInTheSessionOf(pid(run));
    }

    @Test
    void releaseStopsARunningJobAndIsIdempotent() throws Exception {
        Execution run = start(runtime(), launch("scenario:long:30", Map.of()));
        ProcessHandle root = ProcessHandle.of(pid(run)).orElseThrow();
        await().atMost(Duration.ofSeconds(10)).until(() -> root.descendants().findAny().isPresent());
        List<ProcessHandle> tree = Stream.concat(Stream.of(root), root.descendants()).toList();

        assertTimeoutPreemptively(Duration.ofSeconds(3), () -> {
            run.release();
            run.release();
        });

        tree.forEach(p -> assertFalse(running(p), "process " + p.pid() + " still runs"));
        assertThrows(IllegalStateException.class, () -> run.follow(new Recorder()));
        run.kill(Duration.ofSeconds(1));
    }

    @Test
    void releaseAfterANormalEndIsHarmless() throws Exception {
        Execution run = start(runtime(), launch("scenario:success", Map.of()));

        assertEquals(0, run.follow(new Recorder()));
        assertTimeoutPreemptively(Duration.ofSeconds(1), () -> {
            run.release();
            run.release();
        });
    }

    @Test
    void withSetsidTheCommandLeadsItsOwnSessionUnderItsOwnPid() throws Exception {
        assumeTrue(SETSID != null && Files.isDirectory(Path.of("/proc/self")), "needs setsid and /proc");
        Execution run = start(new HostProcessRuntime(claude.toString(), runnerEnv(), SETSID),
                launch("scenario:long:30", Map.of()));
        long pid = pid(run);

        await().atMost(Duration.ofSeconds(5)).until(() -> JobProcesses.session(pid).orElse(-1) == pid);
        String command = ProcessHandle.of(pid).orElseThrow().info().command().orElse("");
        assertFalse(command.endsWith("setsid"), "the pid is the command's, not setsid's: " + command);
    }

    @Test
    void aSinkThatFailsMakesFollowFailNamingTheProcess() throws Exception {
        Execution run = start(runtime(), launch("scenario:success", Map.of()));

        OutputSink full = (stream, line, continues) -> {
            throw new IllegalArgumentException("sink is full");
        };
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> run.follow(full));

        assertTrue(e.getMessage().contains(run.id()) && e.getMessage().endsWith("sink is full"), e.getMessage());
    }

    // --- helpers ---

    private HostProcessRuntime runtime() {
        return new HostProcessRuntime(claude.toString(), runnerEnv());
    }

    private Map<String, String> runnerEnv() {
        String path = System.getenv("PATH");
        return Map.of("PATH", path == null ? "/usr/local/bin:/usr/bin:/bin" : path, "HOME", home.toString(),
                "LANG", "C.UTF-8", "RUNNER_ONLY", "not for jobs");
    }

    private Execution start(HostProcessRuntime runtime, Launch launch) {
        Execution run = runtime.start(launch);
        started.add(run);
        return run;
    }

    private Launch launch(String prompt, Map<String, String> env) {
        return new Launch(job(workDir.toString()), List.of("claude", "-p", prompt, "--output-format", "stream-json",
                "--verbose"), env);
    }

    private static Launch launch(JobRequested job) {
        return new Launch(job, List.of("claude", "-p", "hi"), Map.of());
    }

    static JobRequested job(String workingDirectory) {
        AgentSpec.DockerSpec noDocker = new AgentSpec.DockerSpec(false, true, "1g", 1L << 30, null, null, null, null,
                null, null, 5, "rw", null, null, null, null, null, null, null);
        AgentSpec spec = new AgentSpec("reviewer", "reviewer", List.of(), null, null, workingDirectory, null, null,
                null, null, "acceptEdits", Map.of(), noDocker, 1, null, null, null, null, null, null, null);
        return new JobRequested("e", Instant.now(), 1, "job-2026-01-01-abc123", "reviewer", null, TriggerType.MANUAL,
                "hi", null, spec, null);
    }

    private Path script(String name, String body) throws IOException {
        Path file = bin.resolve(name);
        Files.writeString(file, body.startsWith("#!") ? body : "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    private static long pid(Execution run) {
        return Long.parseLong(run.id().substring("host:".length()));
    }

    private static CompletableFuture<Integer> followInBackground(Execution run, OutputSink sink) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return run.follow(sink);
            } catch (InterruptedException e) {
                throw new CompletionException(e);
            }
        });
    }

    private static void assertNothingLeftInTheSessionOf(long pid) {
        if (!Files.isDirectory(Path.of("/proc/self"))) {
            return;
        }
        List<Long> left = ProcessHandle.allProcesses().filter(HostProcessRuntimeTest::running)
                .filter(p -> JobProcesses.session(p.pid()).orElse(-1) == pid).map(ProcessHandle::pid).toList();
        assertEquals(List.of(), left, "processes still in the job's session");
    }

    /**
     * Alive and not a zombie: where PID 1 does not reap orphans (as in this sandbox, or a container
     * without an init), a killed grandchild stays a zombie, which ProcessHandle still calls alive.
     */
    private static boolean running(ProcessHandle p) {
        Path stat = Path.of("/proc", Long.toString(p.pid()), "stat");
        try {
            String s = Files.readString(stat);
            return p.isAlive() && !s.substring(s.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException e) {
            return Files.isDirectory(Path.of("/proc/self")) ? false : p.isAlive();
        }
    }

    private static String text(JsonNode event) {
        return event.path("message").path("content").path(0).path("text").asText();
    }

    record Line(OutputStream stream, String text, boolean continues) {
    }

    /** Keeps every line; lines of both streams may arrive from different threads, never at once. */
    static final class Recorder implements OutputSink {
        final List<Line> lines = new CopyOnWriteArrayList<>();

        @Override
        public void line(OutputStream stream, String line, boolean continues) {
            lines.add(new Line(stream, line, continues));
        }

        List<String> texts(OutputStream stream) {
            return lines.stream().filter(l -> l.stream() == stream).map(Line::text).toList();
        }

        List<JsonNode> json() {
            return texts(OutputStream.STDOUT).stream().map(HostProcessRuntimeTest::parse).toList();
        }

        /** The text of every assistant message, in order. */
        List<String> said() {
            return json().stream().filter(e -> e.path("type").asText().equals("assistant"))
                    .map(HostProcessRuntimeTest::text).filter(t -> !t.isEmpty()).collect(Collectors.toList());
        }
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }
}
