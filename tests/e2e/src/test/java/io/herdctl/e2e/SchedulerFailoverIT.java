package io.herdctl.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.herdctl.events.AgentSpec;
import io.herdctl.events.AgentSpecResolved;
import io.herdctl.events.EventJson;
import io.herdctl.events.JobRequested;
import io.herdctl.events.Topics;
import io.herdctl.events.TriggerType;
import io.herdctl.launcher.ServiceProcess;
import io.herdctl.testsupport.EmbeddedKafkaBroker;
import io.herdctl.testsupport.TopicClient;

/**
 * Two scheduler instances on one broker: exactly one fires; when it is killed
 * with SIGKILL the other takes over within 10 s, from the recorded slots, and
 * no slot fires twice.
 */
class SchedulerFailoverIT {

    @Test
    void theFollowerTakesOverWithinTenSecondsAndNoSlotFiresTwice() throws IOException {
        Path home = Path.of(System.getProperty("herdctl.home", "../..")).toAbsolutePath().normalize();
        Path root = Files.createTempDirectory("herdctl-schedulers-");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startEphemeral();
                TopicClient topics = new TopicClient(broker.bootstrapServers())) {
            broker.createProjectTopics();
            AgentSpec agent = new AgentSpec("ticker", "ticker", List.of(), null, "/f/ticker.yaml", "/f", "tick", null,
                    null, null, "acceptEdits",
                    Map.of("every2s", new AgentSpec.ScheduleSpec("interval", "2s", 2_000L, null, null, true, false, null,
                            "queue", "one", null)),
                    new AgentSpec.DockerSpec(true, true, "2g", 2L << 30, null, null, null, null, null, null, 5, "rw",
                            "herdctl/test-agent:latest", "none", null, null, null, null, null),
                    1000, null, null, null, null, null, null, null);
            topics.send(Topics.AGENTS, "ticker", EventJson.write(AgentSpecResolved.of("r1", agent)));

            Map<String, String> settings = Map.of("herdctl.scheduler.tick", "200ms");
            ServiceProcess a = ServiceProcess.start(home, "scheduler-service", broker.bootstrapServers(), "scheduler-a",
                    root, settings).awaitReady(Duration.ofSeconds(90));
            ServiceProcess b = ServiceProcess.start(home, "scheduler-service", broker.bootstrapServers(), "scheduler-b",
                    root, settings).awaitReady(Duration.ofSeconds(90));
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> leads(a) != leads(b));
                ServiceProcess leader = leads(a) ? a : b;
                ServiceProcess follower = leader == a ? b : a;
                await().atMost(Duration.ofSeconds(20)).until(() -> requests(topics).size() >= 3);

                leader.kill();
                long killed = System.nanoTime();
                int before = requests(topics).size();
                await().atMost(Duration.ofSeconds(20)).until(() -> leads(follower));
                long tookOverMs = (System.nanoTime() - killed) / 1_000_000;
                await().atMost(Duration.ofSeconds(20)).until(() -> requests(topics).size() >= before + 2);
                long firingAgainMs = (System.nanoTime() - killed) / 1_000_000;
                System.out.printf("[schedulers] the follower led %d ms after the SIGKILL, fired again after %d ms%n",
                        tookOverMs, firingAgainMs);

                List<JobRequested> all = requests(topics);
                Map<Instant, Long> perSlot = all.stream().collect(Collectors.groupingBy(JobRequested::slot,
                        Collectors.counting()));
                assertEquals(all.size(), perSlot.size(), "no slot fired twice: " + perSlot);
                assertEquals(all.size(), all.stream().map(JobRequested::jobId).distinct().count());
            } finally {
                a.close();
                b.close();
            }
        }
    }

    private static boolean leads(ServiceProcess scheduler) {
        String body = scheduler.get("/api/scheduler");
        return body != null && body.contains("\"leader\":true");
    }

    private static List<JobRequested> requests(TopicClient topics) {
        return topics.readAll(Topics.JOB_REQUESTS).stream().map(r -> EventJson.read(r.value(), JobRequested.class))
                .filter(r -> r.triggerType() == TriggerType.SCHEDULE).toList();
    }
}
