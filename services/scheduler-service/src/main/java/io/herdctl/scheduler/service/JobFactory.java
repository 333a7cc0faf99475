package io.herdctl.scheduler.service;

import java.time.Instant;

import io.herdctl.events.AgentSpec;
import io.herdctl.events.EventIds;
import io.herdctl.events.JobRequested;
import io.herdctl.events.TriggerType;

/** Builds job requests, with herdctl's prompt precedence and the schedule's session choice. */
final class JobFactory {

    /** herdctl's last-resort prompt for a scheduled run. */
    static final String FALLBACK_PROMPT = "Execute your configured task";

    private JobFactory() {
    }

    static String prompt(String triggerPrompt, AgentSpec.ScheduleSpec schedule, AgentSpec agent) {
        if (hasText(triggerPrompt)) {
            return triggerPrompt;
        }
        if (schedule != null && hasText(schedule.prompt())) {
            return schedule.prompt();
        }
        if (hasText(agent.defaultPrompt())) {
            return agent.defaultPrompt();
        }
        return FALLBACK_PROMPT;
    }

    /**
     * What a scheduled job resumes: a schedule with {@code resume_session: true}
     * asks for the agent's latest session ({@link JobRequested#RESUME_LAST}; the
     * runner knows which one that is and whether it has expired), any other
     * schedule starts a fresh one.
     */
    static String resume(AgentSpec.ScheduleSpec schedule) {
        return schedule.resumeSession() ? JobRequested.RESUME_LAST : null;
    }

    static JobRequested request(String jobId, AgentSpec agent, String scheduleName, TriggerType trigger, String prompt,
            Instant slot, String resume, Instant now) {
        return new JobRequested(EventIds.random(), now, JobRequested.SCHEMA_VERSION, jobId, agent.qualifiedName(),
                scheduleName, trigger, prompt, slot, agent, resume);
    }

    private static boolean hasText(String s) {
        return s != null && !s.isBlank();
    }
}
