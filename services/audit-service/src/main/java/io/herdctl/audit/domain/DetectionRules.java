package io.herdctl.audit.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.herdctl.events.AuditAlertRaised;
import io.herdctl.events.EventIds;
import io.herdctl.events.JobOutputEmitted;
import io.herdctl.events.Severity;

/**
 * The checks the seed asks operators to run by hand with grep, run on every
 * line as it arrives. An alert's id derives from job, line and rule, so a line
 * seen twice raises the same alert, which a SIEM can drop.
 */
public final class DetectionRules {

    /** One rule: a pattern on the line and what to call a match. */
    public record Rule(String id, String title, Severity severity, Pattern pattern) {
    }

    public static final List<Rule> DEFAULTS = List.of(
            new Rule("permission-denied", "Permission denied (EACCES/EPERM): the agent hit an isolation boundary",
                    Severity.MEDIUM, Pattern.compile("\\bEACCES\\b|\\bEPERM\\b|permission denied", Pattern.CASE_INSENSITIVE)));

    static final int EXCERPT_CHARS = 300;

    private final List<Rule> rules;

    public DetectionRules(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    public List<AuditAlertRaised> evaluate(JobOutputEmitted line) {
        List<AuditAlertRaised> alerts = new ArrayList<>();
        for (Rule rule : rules) {
            Matcher m = rule.pattern().matcher(line.raw());
            if (m.find()) {
                alerts.add(new AuditAlertRaised(EventIds.derived(line.jobId(), Long.toString(line.seq()), rule.id()),
                        java.time.Instant.now(), AuditAlertRaised.SCHEMA_VERSION, line.jobId(), line.agent(), line.seq(),
                        rule.id(), rule.title(), rule.severity(), excerpt(line.raw(), m.start(), m.end()), line.time()));
            }
        }
        return alerts;
    }

    /** Lines of a job never reached the log: its record is incomplete, which a security team must know. */
    public static AuditAlertRaised gap(JobOutputEmitted line, long firstMissing) {
        long missing = line.seq() - firstMissing;
        return new AuditAlertRaised(EventIds.derived(line.jobId(), Long.toString(line.seq()), "output-gap"),
                java.time.Instant.now(), AuditAlertRaised.SCHEMA_VERSION, line.jobId(), line.agent(), line.seq(),
                "output-gap", "Job output lines are missing from the audit log", Severity.HIGH,
                missing + " line(s) before sequence number " + line.seq() + " (from " + firstMissing + ") were never received",
                line.time());
    }

    /** The match with some context around it; the line was redacted by the runner already. */
    static String excerpt(String text, int start, int end) {
        int half = Math.max(0, (EXCERPT_CHARS - (end - start)) / 2);
        int from = Math.max(0, start - half);
        int to = Math.min(text.length(), end + half);
        return (from > 0 ? "…" : "") + text.substring(from, to) + (to < text.length() ? "…" : "");
    }
}
