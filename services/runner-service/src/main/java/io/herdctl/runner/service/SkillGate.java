package io.herdctl.runner.service;

import java.nio.file.Path;
import java.util.List;

import org.jboss.logging.Logger;

import io.herdctl.events.AgentSpec;
import io.herdctl.events.JobRequested;
import io.herdctl.events.skills.RedFlag;
import io.herdctl.events.skills.SkillScanner;

/**
 * The skill scan right before a job starts. Skills are files in the agent's
 * working directory and in the {@code ~/.claude} the runner keeps for it, and an
 * earlier job may have changed either, so what config-service checked at load is
 * not enough: each job is scanned as it is about to run.
 *
 * <p>What {@code security.skill_scan} asks: {@code off} scans nothing; {@code warn}
 * reports every red flag as a line of the job's output (audit-service raises an
 * alert for each) and the job runs; {@code block} does the same, and refuses the
 * job, before any container starts, when a flag is high or critical.
 */
final class SkillGate {

    /** Where the flags and notes of a scan go: the job's output. */
    interface Report {
        void flag(RedFlag flag, String mode);

        void note(String text);
    }

    /** Notes (files left out) are capped per job, so a tree of links does not flood the output. */
    static final int MAX_NOTES = 5;
    private static final Logger LOG = Logger.getLogger(SkillGate.class);

    private final Path sessionsDir;
    private final Path userHome;

    /**
     * @param sessionsDir where the runner keeps each agent's {@code ~/.claude} (null: it keeps none)
     * @param userHome    the home of the user host-process jobs run as, for their global skills; null if unknown
     */
    SkillGate(Path sessionsDir, Path userHome) {
        this.sessionsDir = sessionsDir;
        this.userHome = userHome;
    }

    /**
     * Scans the job's agent and reports what it finds.
     *
     * @return why the job is refused, naming the file and line; null when it may run
     */
    String check(JobRequested job, Report report) {
        AgentSpec spec = job.spec();
        String mode = spec.security().skillScan();
        if (AgentSpec.SecuritySpec.OFF.equals(mode)) {
            return null;
        }
        Path kept = sessionsDir == null ? null : SkillScanner.keptHome(sessionsDir, spec.qualifiedName());
        List<SkillScanner.Root> roots = SkillScanner.roots(spec, kept, userHome);
        Path wd = spec.workingDirectory() == null ? null : Path.of(spec.workingDirectory());
        long started = System.nanoTime();
        SkillScanner.Result result = SkillScanner.forAgent(spec).scan(roots, wd, spec.mcpServers(), spec.sourceFile());
        LOG.debugf("job %s: skill scan of %d file(s) in %d ms, %d red flag(s)", job.jobId(), result.filesScanned(),
                (System.nanoTime() - started) / 1_000_000, result.flags().size());
        for (RedFlag f : result.flags()) {
            report.flag(f, mode);
        }
        List<String> notes = result.notes();
        notes.stream().limit(MAX_NOTES).forEach(n -> report.note("skill scan: not scanned: " + n));
        if (notes.size() > MAX_NOTES) {
            report.note("skill scan: " + (notes.size() - MAX_NOTES) + " more file(s) not scanned");
        }
        List<RedFlag> blocking = result.blocking();
        if (!AgentSpec.SecuritySpec.BLOCK.equals(mode) || blocking.isEmpty()) {
            if (!result.flags().isEmpty()) {
                LOG.warnf("job %s (%s): %d red flag(s) in its skills or MCP servers, worst %s; it runs "
                        + "(security.skill_scan: %s)", job.jobId(), job.agent(), result.flags().size(),
                        result.worst().wire(), mode);
            }
            return null;
        }
        RedFlag first = blocking.get(0);
        return "refused by the skill scan (security.skill_scan: block): " + display(first, wd) + ": " + first.kind()
                + " (" + first.severity().wire() + "): " + first.message() + "; fix: " + first.fix()
                + (blocking.size() > 1 ? " (and " + (blocking.size() - 1) + " more high or critical red flag(s) in the "
                        + "job's output)" : "");
    }

    /** The flag's place, relative to the working directory when it lies inside it. */
    static String display(RedFlag f, Path wd) {
        Path file = Path.of(f.file());
        String name = wd != null && file.isAbsolute() && file.startsWith(wd) ? wd.relativize(file).toString() : f.file();
        return name + (f.line() != null ? ":" + f.line() : "") + (f.field() != null ? " (" + f.field() + ")" : "");
    }
}
