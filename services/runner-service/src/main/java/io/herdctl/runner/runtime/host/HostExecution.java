package io.herdctl.runner.runtime.host;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import io.herdctl.events.OutputStream;
import io.herdctl.runner.runtime.Execution;
import io.herdctl.runner.runtime.LineSplitter;
import io.herdctl.runner.runtime.OutputSink;

/**
 * One job's Claude Code process on the host. stdout and stderr are read by a
 * thread each, so a process that fills one pipe while the runner waits on the
 * other never stalls; their lines reach the sink one at a time.
 */
final class HostExecution implements Execution {

    private static final Logger LOG = Logger.getLogger(HostExecution.class);

    /**
     * How long {@link #follow} waits, once the command has exited, for the rest of its
     * output. Output in flight takes milliseconds; only a process the job left behind
     * holding the pipes open makes it wait this long.
     */
    static final Duration DRAIN = Duration.ofSeconds(2);
    /** What {@link #release} gives processes left behind to stop on SIGTERM. */
    static final Duration RELEASE_GRACE = Duration.ofSeconds(1);
    private static final long POLL_MILLIS = 50;

    private final String jobId;
    private final Process process;
    private final JobProcesses processes;
    private final AtomicBoolean following = new AtomicBoolean();
    private final AtomicBoolean released = new AtomicBoolean();
    private volatile Delivery delivery;
    /** {@link System#nanoTime} at which a kill sends SIGKILL to what is left; 0 until killed. */
    private volatile long killDeadline;

    HostExecution(String jobId, Process process) {
        this.jobId = jobId;
        this.process = process;
        this.processes = new JobProcesses(process.toHandle());
    }

    @Override
    public String id() {
        return "host:" + process.pid();
    }

    @Override
    public int follow(OutputSink sink) throws InterruptedException {
        if (released.get()) {
            throw new IllegalStateException("job " + jobId + ": " + id() + " was already released");
        }
        if (!following.compareAndSet(false, true)) {
            throw new IllegalStateException("job " + jobId + ": the output of " + id() + " is already being followed");
        }
        CompletableFuture<Throwable> failed = new CompletableFuture<>();
        Delivery lines = new Delivery(sink, failed);
        delivery = lines;
        try {
            Thread stdout = reader(process.getInputStream(), OutputStream.STDOUT, lines, failed);
            Thread stderr = reader(process.getErrorStream(), OutputStream.STDERR, lines, failed);
            try {
                CompletableFuture.anyOf(process.onExit(), failed).get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("waiting for " + id() + " failed", e.getCause());
            }
            if (!failed.isDone()) {
                drain(stdout, stderr);
            }
            if (failed.isDone()) {
                Throwable cause = failed.getNow(null);
                throw new IllegalStateException("job " + jobId + ": reading the output of " + id() + " failed: "
                        + cause.getMessage(), cause);
            }
            return process.exitValue();
        } finally {
            lines.close();
        }
    }

    /**
     * Waits for the readers to reach the end of both pipes, so the last lines are not
     * lost. After a kill the bound starts when SIGKILL went out: until then a child
     * still stopping may hold the pipes.
     */
    private void drain(Thread stdout, Thread stderr) throws InterruptedException {
        long exited = System.nanoTime();
        while (stdout.isAlive() || stderr.isAlive()) {
            long deadline = Math.max(exited, killDeadline) + DRAIN.toNanos();
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                LOG.warnf("job %s: %s has exited but its output is still held open, probably by a process it started; "
                        + "no longer reading it", jobId, id());
                return;
            }
            (stdout.isAlive() ? stdout : stderr).join(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 100)));
        }
    }

    private Thread reader(InputStream in, OutputStream stream, Delivery lines, CompletableFuture<Throwable> failed) {
        LineSplitter splitter = new LineSplitter((text, continues) -> lines.line(stream, text, continues));
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (in) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    splitter.accept(buffer, 0, n);
                }
                splitter.finish();
            } catch (IOException e) {
                if (!lines.isClosed()) {
                    failed.complete(new IOException(stream.wire() + ": " + e.getMessage(), e));
                }
            }
        }, "host-job-" + jobId + "-" + stream.wire());
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /**
     * SIGTERM to the command and everything it started, SIGKILL to whatever is left once
     * {@code grace} has passed. A process started meanwhile (a shell forking while it
     * dies) gets its SIGTERM when it is first seen, so nothing is killed unwarned.
     */
    @Override
    public void kill(Duration grace) {
        long deadline = System.nanoTime() + Math.max(0, grace.toNanos());
        Set<ProcessHandle> signalled = new LinkedHashSet<>();
        boolean interrupted = false;
        while (true) {
            Set<ProcessHandle> alive = alive(signalled);
            if (alive.isEmpty()) {
                return;
            }
            if (signalled.isEmpty()) {
                killDeadline = deadline;
                LOG.debugf("job %s: SIGTERM to %s and %d processes it started", jobId, id(), alive.size() - 1);
            }
            alive.stream().filter(signalled::add).forEach(ProcessHandle::destroy);
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0 || interrupted) {
                break;
            }
            try {
                Thread.sleep(Math.max(1, Math.min(POLL_MILLIS, TimeUnit.NANOSECONDS.toMillis(remaining))));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        Set<ProcessHandle> left = alive(signalled);
        if (!left.isEmpty()) {
            LOG.infof("job %s: %s still running when the %d ms grace after SIGTERM ran out; sending SIGKILL", jobId,
                    pids(left), grace.toMillis());
            left.forEach(ProcessHandle::destroyForcibly);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The job's processes, and those already signalled that have since left its tree. */
    private Set<ProcessHandle> alive(Set<ProcessHandle> signalled) {
        Set<ProcessHandle> alive = new LinkedHashSet<>(processes.alive());
        signalled.stream().filter(JobProcesses::running).forEach(alive::add);
        return alive;
    }

    @Override
    public void release() {
        if (!released.compareAndSet(false, true)) {
            return;
        }
        Delivery lines = delivery;
        if (lines != null) {
            lines.close();
        }
        kill(RELEASE_GRACE);
        if (!following.get()) {
            closeQuietly(process.getInputStream());
            closeQuietly(process.getErrorStream());
        }
        List<ProcessHandle> left = processes.alive();
        if (!left.isEmpty()) {
            LOG.warnf("job %s: %s outlived the job and could not be stopped", jobId, pids(left));
        }
    }

    private static String pids(Collection<ProcessHandle> processes) {
        return "pid " + processes.stream().map(p -> Long.toString(p.pid())).collect(Collectors.joining(", "));
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // Nothing left to read from it anyway.
        }
    }

    /**
     * Hands lines to the sink one at a time, so it never sees both streams at once,
     * and never after {@link #follow} has returned. A sink that throws ends the
     * delivery and makes follow fail, as a broken container log stream does.
     */
    private static final class Delivery {
        private final OutputSink sink;
        private final CompletableFuture<Throwable> failed;
        private boolean closed;

        Delivery(OutputSink sink, CompletableFuture<Throwable> failed) {
            this.sink = sink;
            this.failed = failed;
        }

        synchronized void line(OutputStream stream, String text, boolean continues) {
            if (closed) {
                return;
            }
            try {
                sink.line(stream, text, continues);
            } catch (RuntimeException e) {
                closed = true;
                failed.complete(e);
            }
        }

        synchronized boolean isClosed() {
            return closed;
        }

        synchronized void close() {
            closed = true;
        }
    }
}
