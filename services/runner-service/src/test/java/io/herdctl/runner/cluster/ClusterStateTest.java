package io.herdctl.runner.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.herdctl.events.ExitReason;
import io.herdctl.events.FleetControl;
import io.herdctl.events.JobCancelRequested;
import io.herdctl.events.JobStatus;
import io.herdctl.events.JobStatusChanged;
import io.herdctl.events.RunnerHeartbeat;

class ClusterStateTest {

    static final String JOB = "job-2026-11-29-abc123";
    static final Instant T = Instant.parse("2026-11-29T10:00:00Z");

    private final ClusterState state = new ClusterState();

    static JobStatusChanged status(String eventId, JobStatus status, String runner, Instant at, String session) {
        return new JobStatusChanged(eventId, at, 1, JOB, "coder", null, null, status,
                status.isTerminal() ? ExitReason.SUCCESS : null, null, at, status.isTerminal() ? at : null, null,
                null, runner, session, null, null, null);
    }

    @Test
    void theKillSwitchStopsOnlyWhenEngagedAndHoldsBackWhatWasQueuedBeforeIt() {
        List<FleetControl> stops = new ArrayList<>();
        state.onFleetStopped(stops::add);
        FleetControl stop = FleetControl.stop(T, "cli:alice@ops", "EACCES storm");
        state.apply(stop);
        FleetControl resumed = stop.resume(T.plusSeconds(60), "dashboard:bob", null);
        state.apply(resumed);
        state.apply(stop);

        assertEquals(List.of(stop), stops, "the stop is passed on; a resume, or an older record read late, is not");
        FleetControl now = state.fleetControl().orElseThrow();
        assertFalse(now.stopped(), "an older record read late does not undo the resume");
        assertTrue(now.holdsBack(T.minusSeconds(1)), "requested before the stop: never run");
        assertFalse(now.holdsBack(T.plusSeconds(61)), "requested after the resume: runs");
        assertTrue(stop.holdsBack(T.plusSeconds(10)), "while stopped nothing runs");
        assertTrue(stop.whyHeldBack(null).contains("cli:alice@ops"), stop.whyHeldBack(null));
        assertTrue(now.whyHeldBack(T.minusSeconds(1)).contains("before the fleet was stopped"));
    }

    @Test
    void theFirstClaimOnTheLogOwnsTheJobAndTheLoserLearnsIt() {
        CompletableFuture<ClusterState.JobState> mine = state.claimRead("claim-b");
        state.apply(status("claim-a", JobStatus.PENDING, "runner-a", T, null));
        state.apply(status("claim-b", JobStatus.PENDING, "runner-b", T.plusMillis(5), null));

        ClusterState.JobState settled = mine.join();
        assertEquals("runner-a", settled.owner());
        assertEquals("claim-a", settled.firstEventId(), "runner-b sees it lost the race");
    }

    @Test
    void aTerminalStatusIsFinal() {
        state.apply(status("1", JobStatus.PENDING, "runner-a", T, null));
        state.apply(status("2", JobStatus.RUNNING, "runner-a", T.plusSeconds(1), null));
        state.apply(status("3", JobStatus.COMPLETED, "runner-a", T.plusSeconds(2), "s-1"));
        state.apply(status("4", JobStatus.FAILED, "runner-z", T.plusSeconds(30), null));

        assertEquals(JobStatus.COMPLETED, state.job(JOB).orElseThrow().status());
        assertTrue(state.openJobsByRunner().isEmpty());
        assertEquals("s-1", state.session("coder").orElseThrow().sessionId());
    }

    @Test
    void countsOpenJobsPerAgentAndSaysWhenOneEnds() {
        List<String> ended = new ArrayList<>();
        state.onJobEnded(ended::add);
        state.apply(status("1", JobStatus.PENDING, "runner-a", T, null));
        state.apply(status("2", JobStatus.RUNNING, "runner-a", T, null));
        assertEquals(1, state.openJobs("coder"));
        state.apply(status("3", JobStatus.FAILED, "runner-a", T, null));
        state.apply(status("4", JobStatus.FAILED, "runner-b", T, null));
        assertEquals(0, state.openJobs("coder"));
        assertEquals(List.of("coder"), ended, "told once, when the job ended");
    }

    @Test
    void openJobsAreListedByTheRunnerHoldingThem() {
        state.apply(status("1", JobStatus.PENDING, "runner-a", T, null));
        assertEquals(List.of(JOB), state.openJobsByRunner().get("runner-a").stream().map(ClusterState.JobState::jobId).toList());
    }

    @Test
    void cancelsAreKeptAndPassedOn() {
        List<String> heard = new ArrayList<>();
        state.onCancel(c -> heard.add(c.jobId()));
        state.apply(new JobCancelRequested("c1", T, 1, JOB, "alice", "wrong prompt"));
        assertEquals(List.of(JOB), heard);
        assertEquals("alice", state.cancelled(JOB).orElseThrow().requestedBy());
    }

    @Test
    void aHeartbeatCountsFromTheEarlierOfItsTimeAndWhenItWasRead() {
        RunnerHeartbeat old = new RunnerHeartbeat("h1", T, 1, "runner-a", RunnerHeartbeat.UP, 4, true, List.of(), 2000);
        state.apply(old, T.plusSeconds(3600));
        assertEquals(T, state.peers().get("runner-a").lastSeen(), "an old heartbeat read at start is not fresh");
    }
}
