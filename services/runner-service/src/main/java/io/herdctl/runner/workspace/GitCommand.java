package io.herdctl.runner.workspace;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs git read-only on a repository the runner does not trust: an agent had write
 * access to it, so its config may name programs (fsmonitor, filters, external diff,
 * textconv, a pager) and its hooks may be anything. Every call refuses them from the
 * command line, which wins over the repository's config; takes no optional lock, so
 * the index is never refreshed or written; fetches nothing (a partial clone's lazy
 * fetch included); prompts for nothing; and is killed at its deadline or once its
 * output passes the bound asked for.
 *
 * <p>Filter drivers have names of the repository's choosing, so {@link #filterDrivers}
 * reads them first (reading config runs nothing) and each call switches them off by name
 * ({@code GIT_CONFIG_KEY_n}, command-line scope like {@code -c}).
 * {@code safe.directory=*}: git refuses a repository another user owns because of
 * exactly these programs; with them switched off, the runner (a different user in a
 * container) can read the workspace it is given.
 */
final class GitCommand {

    /** What git answered: its exit code, its standard output (cut at the bound when {@code truncated}). */
    record Result(int exitCode, byte[] stdout, boolean truncated) {
        String text() {
            return new String(stdout, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** git is not installed (or not where the runner was told), or did not answer in time. */
    static final class Unavailable extends RuntimeException {
        Unavailable(String message) {
            super(message);
        }
    }

    private static final List<String> HARDENING = List.of(
            "-c", "core.fsmonitor=false",
            "-c", "core.untrackedCache=false",
            "-c", "core.hooksPath=/dev/null",
            "-c", "core.pager=cat",
            "-c", "diff.external=",
            "-c", "protocol.allow=never",
            "-c", "safe.directory=*",
            "-c", "status.submoduleSummary=false",
            "-c", "diff.noprefix=false",
            "-c", "diff.mnemonicPrefix=false",
            "-c", "diff.relative=false",
            "-c", "core.quotePath=false",
            "--no-pager",
            "--no-optional-locks");

    private final String executable;
    private final Duration timeout;

    /** @param executable the git program (a name on PATH, or a path) */
    GitCommand(String executable, Duration timeout) {
        this.executable = executable;
        this.timeout = timeout;
    }

    /**
     * Runs {@code git <hardening> <args>} in {@code dir}, keeping at most {@code maxBytes}
     * of its output.
     *
     * @param filters the repository's filter driver names, each switched off for this call
     * @throws Unavailable when git cannot be started or does not finish in time
     */
    Result run(Path dir, List<String> filters, int maxBytes, String... args) {
        List<String> argv = new ArrayList<>();
        argv.add(executable);
        argv.addAll(HARDENING);
        argv.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(argv).directory(dir.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Map<String, String> env = builder.environment();
        env.put("GIT_OPTIONAL_LOCKS", "0");
        env.put("GIT_TERMINAL_PROMPT", "0");
        env.put("GIT_LITERAL_PATHSPECS", "1");
        env.put("GIT_NO_REPLACE_OBJECTS", "1");
        env.put("GIT_PAGER", "cat");
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("GIT_ATTR_NOSYSTEM", "1");
        env.put("GIT_NO_LAZY_FETCH", "1");
        env.put("LC_ALL", "C");
        // Variables that would point git elsewhere than the repository asked about.
        List.of("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES",
                "GIT_CONFIG", "GIT_CONFIG_PARAMETERS", "GIT_CONFIG_COUNT", "GIT_EXTERNAL_DIFF", "GIT_SSH",
                "GIT_SSH_COMMAND", "GIT_ASKPASS", "SSH_ASKPASS").forEach(env::remove);
        env.keySet().removeIf(k -> k.startsWith("GIT_CONFIG_KEY_") || k.startsWith("GIT_CONFIG_VALUE_"));
        // Through the environment rather than -c: a driver's name may hold '=', which -c would split at.
        int n = 0;
        for (String name : filters) {
            for (String key : List.of("clean", "smudge", "process")) {
                env.put("GIT_CONFIG_KEY_" + n, "filter." + name + "." + key);
                env.put("GIT_CONFIG_VALUE_" + n++, "");
            }
            env.put("GIT_CONFIG_KEY_" + n, "filter." + name + ".required");
            env.put("GIT_CONFIG_VALUE_" + n++, "false");
        }
        if (n > 0) {
            env.put("GIT_CONFIG_COUNT", Integer.toString(n));
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new Unavailable("git could not be run where the runner runs (" + e.getMessage() + "); install git there "
                    + "to record workspace changes");
        }
        Bounded out = new Bounded(process, maxBytes);
        Thread reader = new Thread(out, "git-output");
        reader.setDaemon(true);
        reader.start();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new Unavailable("git " + args[0] + " did not finish within " + timeout.toSeconds() + " s");
            }
            reader.join(timeout.toMillis());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted while git " + args[0] + " ran");
        }
        return new Result(process.exitValue(), out.bytes(), out.truncated());
    }

    /** The names of the filter drivers the repository's config defines ({@code filter.<name>.*}). */
    List<String> filterDrivers(Path dir) {
        Result r = run(dir, List.of(), 64 * 1024, "config", "--name-only", "-z", "--get-regexp", "^filter\\.");
        List<String> names = new ArrayList<>();
        for (String key : r.text().split("\0")) {
            int last = key.lastIndexOf('.');
            if (key.startsWith("filter.") && last > "filter.".length()) {
                String name = key.substring("filter.".length(), last);
                if (!names.contains(name)) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    /** Reads a process's output up to a bound; past it, kills the process (its answer is cut anyway). */
    private static final class Bounded implements Runnable {
        private final Process process;
        private final int max;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private volatile boolean truncated;

        Bounded(Process process, int max) {
            this.process = process;
            this.max = max;
        }

        @Override
        public void run() {
            byte[] chunk = new byte[16 * 1024];
            try (InputStream in = process.getInputStream()) {
                int n;
                while ((n = in.read(chunk)) >= 0) {
                    synchronized (buffer) {
                        int room = max - buffer.size();
                        if (n > room) {
                            buffer.write(chunk, 0, Math.max(0, room));
                            truncated = true;
                            process.destroyForcibly();
                            return;
                        }
                        buffer.write(chunk, 0, n);
                    }
                }
            } catch (IOException e) {
                // The process was killed or its pipe closed: what was read is the answer.
            }
        }

        byte[] bytes() {
            synchronized (buffer) {
                return buffer.toByteArray();
            }
        }

        boolean truncated() {
            return truncated;
        }
    }
}
