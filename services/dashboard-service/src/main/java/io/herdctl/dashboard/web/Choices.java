package io.herdctl.dashboard.web;

import java.util.Arrays;
import java.util.List;

import io.herdctl.events.JobStatus;
import io.herdctl.events.Severity;
import io.herdctl.events.TriggerType;
import io.quarkus.qute.TemplateGlobal;

/** The values the filter forms offer, from the event model's own enums. */
@TemplateGlobal
public final class Choices {

    static final List<String> statuses = Arrays.stream(JobStatus.values()).map(JobStatus::wire).toList();
    static final List<String> triggers = Arrays.stream(TriggerType.values()).map(TriggerType::wire).toList();
    /** Most severe first. */
    static final List<String> severities = List.of(Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW,
            Severity.INFO).stream().map(Severity::wire).toList();
    /** audit-service's sort keys; a leading "-" is newest / largest first. */
    static final List<String> sorts = List.of("-startedAt", "startedAt", "-duration", "-cost", "agent");

    private Choices() {
    }
}
