package io.herdctl.runner.runtime.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Every process of one job that is still alive: the command, whatever it
 * started, and whatever it started that has outlived its parent.
 *
 * <p>{@link ProcessHandle#descendants()} only follows parent links, so a
 * grandchild whose parent has died (a shell killed before its {@code sleep}, a
 * tool's background server) drops out of it. A job started through
 * {@code setsid} leads its own session, and such a process keeps that session
 * id, so on Linux the session is searched too. A pid that has meanwhile been
 * taken by some other process is never touched: a handle carries its process's
 * start time, and session members must have started no earlier than the job.
 */
final class JobProcesses {

    private static final Path PROC = Path.of("/proc");

    private final ProcessHandle root;
    private final Instant rootStarted;

    JobProcesses(ProcessHandle root) {
        this.root = root;
        this.rootStarted = root.info().startInstant().orElse(null);
    }

    /** The processes to signal, the command first; empty once everything of the job is gone. */
    List<ProcessHandle> alive() {
        Set<ProcessHandle> all = new LinkedHashSet<>();
        if (root.isAlive()) {
            all.add(root);
            root.descendants().forEach(all::add);
        }
        all.addAll(sessionMembers());
        all.removeIf(p -> !running(p) || p.equals(ProcessHandle.current()));
        return List.copyOf(all);
    }

    /** The live processes whose session is the job's, when the job leads one; empty elsewhere than on Linux. */
    private List<ProcessHandle> sessionMembers() {
        if (!Files.isDirectory(PROC.resolve("self"))) {
            return List.of();
        }
        long sid = root.pid();
        if (!root.isAlive() && ProcessHandle.of(sid).isPresent()) {
            return List.of(); // the pid now belongs to another process, which may lead a session of its own
        }
        return ProcessHandle.allProcesses()
                .filter(p -> p.pid() != sid || p.equals(root))
                .filter(p -> session(p.pid()).orElse(-1) == sid)
                .filter(this::startedWithOrAfterRoot)
                .toList();
    }

    private boolean startedWithOrAfterRoot(ProcessHandle p) {
        if (rootStarted == null) {
            return true;
        }
        // Both are counted in the same clock ticks since boot, so a child is never earlier than its ancestor.
        Optional<Instant> started = p.info().startInstant();
        return started.isEmpty() || !started.get().isBefore(rootStarted);
    }

    /**
     * Alive and not a zombie. A process that has exited but was never reaped (its
     * parent died, and PID 1 does not reap, as in a container started without an
     * init) still counts as alive to {@link ProcessHandle#isAlive}, yet runs nothing.
     */
    static boolean running(ProcessHandle p) {
        return p.isAlive() && !stat(p.pid()).map(fields -> fields[0].equals("Z")).orElse(false);
    }

    /** The session of a process: field 6 of {@code /proc/<pid>/stat}. */
    static OptionalLong session(long pid) {
        try {
            return stat(pid).map(fields -> OptionalLong.of(Long.parseLong(fields[3]))).orElse(OptionalLong.empty());
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** The fields of {@code /proc/<pid>/stat} from the state on, after the name, which may hold spaces or ')'. */
    private static Optional<String[]> stat(long pid) {
        try {
            String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return fields.length > 3 ? Optional.of(fields) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // gone meanwhile, not ours to read, or no /proc here
        }
    }
}
