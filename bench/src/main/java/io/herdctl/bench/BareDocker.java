package io.herdctl.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.sun.security.auth.module.UnixSystem;

/**
 * The baseline every runner benchmark compares against: the same image, started
 * by the docker CLI with the hardening the runner applies to a job container
 * (runner-service's ContainerSpecFactory and DockerContainerEngine): all
 * capabilities dropped, no-new-privileges, memory without extra swap, a pids
 * limit, an init process, a read-only root with tmpfs /tmp and home owned by the
 * job's user, a non-root user, the workspace bind-mounted at /workspace, HOME and
 * TERM as the runner sets them, and the same Claude Code command line. With a
 * session directory it is mounted as {@code ~/.claude}, as the runner mounts each
 * agent's. {@code --pull never}: a missing image fails instead of being pulled.
 * Every container carries the given label, so a run that fails midway leaves
 * nothing that {@code Containers.removeLabelled} would not find.
 */
final class BareDocker {

    private static final long TIMEOUT_SECONDS = 300;

    private final String image;
    private final String memory;
    private final long pidsLimit;
    private final String user;
    private final Path workspace;
    private final boolean workspaceReadOnly;
    private final Path claudeHome;
    private final String label;

    /**
     * @param memory     as Docker takes it ({@code 256m}); also the swap limit, so no swap beyond it
     * @param user       {@code uid:gid}, see {@link #defaultUser()}
     * @param claudeHome mounted read-write as the agent's {@code ~/.claude}, or null for none
     * @param label      {@code key=value} put on every container
     */
    BareDocker(String image, String memory, long pidsLimit, String user, Path workspace, boolean workspaceReadOnly,
            Path claudeHome, String label) {
        this.image = image;
        this.memory = memory;
        this.pidsLimit = pidsLimit;
        this.user = user;
        this.workspace = workspace;
        this.workspaceReadOnly = workspaceReadOnly;
        this.claudeHome = claudeHome;
        this.label = label;
    }

    /** The user a runner gives job containers when the fleet names none: its own uid:gid, 1000:1000 for root. */
    static String defaultUser() {
        UnixSystem unix = new UnixSystem();
        return unix.getUid() == 0 ? "1000:1000" : unix.getUid() + ":" + unix.getGid();
    }

    /** {@code docker run} with the given options (e.g. {@code --rm} or {@code -d}), the hardening, and the command. */
    List<String> command(List<String> runOptions, String prompt) {
        String owner = "uid=" + user.split(":")[0] + ",gid=" + user.split(":")[1];
        List<String> cmd = new ArrayList<>(List.of("docker", "run", "--pull", "never"));
        cmd.addAll(runOptions);
        cmd.addAll(List.of("--label", label,
                "--cap-drop", "ALL", "--security-opt", "no-new-privileges:true",
                "--memory", memory, "--memory-swap", memory, "--pids-limit", Long.toString(pidsLimit),
                "--init", "--read-only",
                "--tmpfs", "/tmp:rw,nosuid,nodev,size=512m,mode=1777," + owner,
                "--tmpfs", "/home/claude:rw,nosuid,nodev,size=512m,mode=0700," + owner,
                "--user", user, "--network", "none",
                "-v", workspace + ":/workspace:" + (workspaceReadOnly ? "ro" : "rw")));
        if (claudeHome != null) {
            cmd.addAll(List.of("-v", claudeHome + ":/home/claude/.claude:rw"));
        }
        cmd.addAll(List.of("-w", "/workspace", "-e", "HOME=/home/claude", "-e", "TERM=xterm-256color",
                image, "claude", "-p", prompt, "--output-format", "stream-json", "--verbose",
                "--permission-mode", "acceptEdits"));
        return cmd;
    }

    /** Milliseconds from starting {@code docker run --rm} to reading the container's first stdout line; waits for the exit. */
    long toFirstLine(String prompt) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process p = new ProcessBuilder(command(List.of("--rm"), prompt)).redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            if (out.readLine() == null) {
                throw new IllegalStateException("docker run printed nothing (exit code " + exitCode(p) + ")");
            }
            long ms = Stats.millisSince(start, System.nanoTime());
            while (out.readLine() != null) {
                // drain
            }
            checkExit(p);
            return ms;
        }
    }

    /**
     * Milliseconds from starting {@code docker run -d} until the CLI returns, which it does
     * once the engine has created and started the container (the point where the runner
     * publishes {@code running}). The container is then waited for and removed, untimed.
     */
    long toRunning(String prompt) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process p = new ProcessBuilder(command(List.of("-d"), prompt)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        int code = exitCode(p);
        long ms = Stats.millisSince(start, System.nanoTime());
        if (code != 0) {
            throw new IllegalStateException("docker run -d exited " + code + ": " + out);
        }
        String id = out.substring(out.lastIndexOf('\n') + 1);
        String exit = docker("wait", id);
        docker("rm", "-f", id);
        if (!exit.equals("0")) {
            throw new IllegalStateException("the bare container exited " + exit);
        }
        return ms;
    }

    /** Milliseconds from starting {@code docker run --rm} until it exits; stdout goes to the file, or nowhere when null. */
    long toExit(String prompt, Path stdout) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process p = new ProcessBuilder(command(List.of("--rm"), prompt)).redirectError(ProcessBuilder.Redirect.DISCARD)
                .redirectOutput(stdout == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.to(stdout.toFile()))
                .start();
        checkExit(p);
        return Stats.millisSince(start, System.nanoTime());
    }

    private static int exitCode(Process p) throws InterruptedException {
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("docker run did not finish within " + TIMEOUT_SECONDS + " s");
        }
        return p.exitValue();
    }

    private static void checkExit(Process p) throws InterruptedException {
        int code = exitCode(p);
        if (code != 0) {
            throw new IllegalStateException("docker run exited " + code);
        }
    }

    private static String docker(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("docker"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        exitCode(p);
        return out;
    }
}
