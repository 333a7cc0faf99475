package io.herdctl.config.doctor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Asks git one question about a directory, with a deadline: the doctor must answer
 * even where git hangs (a network file system, a credential prompt) or is missing.
 * Nothing is written (optional locks are off), prompts are refused, and no
 * program the repository's config names is started.
 */
final class GitProbe {

    /** What git said: its exit code, or null when it could not be run or did not answer in time (see {@code problem}). */
    record Answer(Integer exitCode, String problem) {
        boolean ran() {
            return exitCode != null;
        }
    }

    private final String command;
    private final Duration timeout;

    /** @param command the git executable (a name looked up on PATH, or a path) */
    GitProbe(String command, Duration timeout) {
        this.command = command;
        this.timeout = timeout;
    }

    Answer ask(Path dir, String... args) {
        // A repository's own config could name a program for git to run (core.fsmonitor); these questions need none.
        List<String> argv = new ArrayList<>(List.of(command, "-c", "core.fsmonitor=false", "-C", dir.toString()));
        argv.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(argv).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("GIT_TERMINAL_PROMPT", "0");
        builder.environment().put("GIT_OPTIONAL_LOCKS", "0");
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return new Answer(null, "git could not be run (" + e.getMessage() + ")");
        }
        try (InputStream err = process.getErrorStream()) {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return new Answer(null, "git did not answer within " + timeout.toMillis() + " ms");
            }
            String stderr = readSome(err);
            return new Answer(process.exitValue(), stderr.lines().findFirst().orElse("").strip());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return new Answer(null, "interrupted while waiting for git");
        } catch (IOException e) {
            return new Answer(process.exitValue(), "");
        }
    }

    /** At most a few KiB: only the first line is kept, and a stuck pipe must not hold us. */
    private static String readSome(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        int n = in.available() > 0 ? in.read(buffer) : 0;
        if (n > 0) {
            out.write(buffer, 0, n);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
