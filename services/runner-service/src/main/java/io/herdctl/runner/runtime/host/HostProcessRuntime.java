package io.herdctl.runner.runtime.host;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jboss.logging.Logger;

import io.herdctl.events.JobRequested;
import io.herdctl.runner.docker.JobRejectedException;
import io.herdctl.runner.runtime.Execution;
import io.herdctl.runner.runtime.JobRuntime;

/**
 * {@code docker.enabled: false}, herdctl's default: Claude Code as a child
 * process of the runner, in the agent's working directory, with the same
 * output, cancel and timeout behaviour as a container.
 *
 * <p>There is no container boundary here, so the child gets only what it needs:
 * a handful of harmless variables of the runner's environment (the runner's may
 * hold other agents' secrets) plus the job's own resolved env. Where
 * {@code setsid} exists the child leads its own session, so whatever it leaves
 * behind can still be found and stopped after it has exited.
 */
public final class HostProcessRuntime implements JobRuntime {

    private static final Logger LOG = Logger.getLogger(HostProcessRuntime.class);

    /** The runner's variables a job may see: locale, identity and where to find programs; nothing secret. */
    static final List<String> PASSED_THROUGH = List.of("PATH", "HOME", "USER", "LOGNAME", "LANG", "LC_ALL", "TZ",
            "TMPDIR", "SHELL");
    static final String TERM = "xterm-256color";
    static final String INSTALL_HINT = "install Claude Code (npm install -g @anthropic-ai/claude-code) or set "
            + "herdctl.runner.claude-command";

    private static final List<Path> SETSID = List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid"));
    private static final File NO_INPUT = new File("/dev/null");

    private final String claudeCommand;
    private final Map<String, String> runnerEnv;
    private final Path setsid;

    /**
     * @param claudeCommand {@code herdctl.runner.claude-command}: an absolute path, or a name looked up on the PATH
     *                      of {@code runnerEnv}
     * @param runnerEnv     the runner's own environment; only {@link #PASSED_THROUGH} reaches a job
     */
    public HostProcessRuntime(String claudeCommand, Map<String, String> runnerEnv) {
        this(claudeCommand, runnerEnv, SETSID.stream().filter(Files::isExecutable).findFirst().orElse(null));
    }

    /** @param setsid the setsid program to start jobs through, or null to start them directly */
    HostProcessRuntime(String claudeCommand, Map<String, String> runnerEnv, Path setsid) {
        this.claudeCommand = claudeCommand == null || claudeCommand.isBlank() ? "claude" : claudeCommand.strip();
        this.runnerEnv = Map.copyOf(runnerEnv);
        this.setsid = setsid;
    }

    @Override
    public Execution start(Launch launch) {
        JobRequested job = launch.job();
        if (launch.argv().isEmpty()) {
            throw new IllegalArgumentException("job " + job.jobId() + ": empty command line");
        }
        Path executable = executable(claudeCommand, runnerEnv.get("PATH"));
        Path cwd = workingDirectory(job);

        List<String> command = new ArrayList<>();
        if (setsid != null) {
            // A child of the JVM never leads a process group, so setsid does not fork: the pid stays the command's.
            command.add(setsid.toString());
        }
        command.add(executable.toString());
        command.addAll(launch.argv().subList(1, launch.argv().size()));

        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(cwd.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(NO_INPUT));
        builder.environment().clear();
        builder.environment().putAll(environment(runnerEnv, launch.env()));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new JobRejectedException("cannot start the Claude CLI " + executable + " for agent \"" + job.agent()
                    + "\" in " + cwd + ": " + e.getMessage());
        }
        LOG.infof("job %s (%s) started as host process %d: %s in %s", job.jobId(), job.agent(), process.pid(),
                executable, cwd);
        return new HostExecution(job.jobId(), process);
    }

    /**
     * The Claude CLI to run, checked before anything starts: a missing CLI must fail the
     * job at once with a fix, not leave it waiting for output that never comes.
     */
    static Path executable(String command, String path) {
        if (command.indexOf('/') >= 0) {
            Path file;
            try {
                file = Path.of(command);
            } catch (InvalidPathException e) {
                throw new JobRejectedException("herdctl.runner.claude-command \"" + command + "\" is not a valid path");
            }
            if (!file.isAbsolute()) {
                throw new JobRejectedException("herdctl.runner.claude-command \"" + command + "\" must be an absolute "
                        + "path or a command name on the PATH of the runner");
            }
            if (!Files.isRegularFile(file)) {
                throw new JobRejectedException("Claude CLI not found: \"" + command + "\" does not exist; "
                        + INSTALL_HINT);
            }
            return executableOrReject(file);
        }
        Path found = null;
        for (String dir : path == null ? new String[0] : path.split(File.pathSeparator)) {
            // An empty or relative PATH entry means "wherever the runner happens to be": never searched.
            if (dir.isEmpty() || !dir.startsWith("/")) {
                continue;
            }
            Path candidate = Path.of(dir, command);
            if (Files.isRegularFile(candidate)) {
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
                found = found == null ? candidate : found;
            }
        }
        if (found != null) {
            return executableOrReject(found);
        }
        throw new JobRejectedException("Claude CLI not found: \"" + command + "\" is not on the PATH of the runner ("
                + (path == null ? "PATH is not set" : path) + "); " + INSTALL_HINT);
    }

    private static Path executableOrReject(Path file) {
        if (!Files.isExecutable(file)) {
            throw new JobRejectedException("Claude CLI " + file + " is not executable by the runner; make it "
                    + "executable (chmod +x) or set herdctl.runner.claude-command");
        }
        return file;
    }

    /** The agent's working directory, which a host process runs in as it is: it must already be there. */
    static Path workingDirectory(JobRequested job) {
        String dir = job.spec().workingDirectory();
        if (dir == null || dir.isBlank()) {
            throw new JobRejectedException("agent \"" + job.agent() + "\" has no working directory; a job without "
                    + "Docker runs in its working_directory");
        }
        Path path;
        try {
            path = Path.of(dir);
        } catch (InvalidPathException e) {
            throw new JobRejectedException("agent \"" + job.agent() + "\": working directory \"" + dir
                    + "\" is not a valid path");
        }
        if (!path.isAbsolute()) {
            throw new JobRejectedException("agent \"" + job.agent() + "\": working directory \"" + dir
                    + "\" is not an absolute path");
        }
        if (!Files.isDirectory(path)) {
            throw new JobRejectedException("agent \"" + job.agent() + "\": working directory " + dir
                    + (Files.exists(path) ? " is not a directory" : " does not exist") + " on this runner");
        }
        return path;
    }

    /** What the job sees: the harmless part of the runner's environment, TERM, then the job's env, which wins. */
    static Map<String, String> environment(Map<String, String> runnerEnv, Map<String, String> jobEnv) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : PASSED_THROUGH) {
            String value = runnerEnv.get(name);
            if (value != null) {
                env.put(name, value);
            }
        }
        env.put("TERM", TERM);
        env.putAll(jobEnv);
        return env;
    }
}
