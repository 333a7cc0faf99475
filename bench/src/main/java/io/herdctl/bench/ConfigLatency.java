package io.herdctl.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

import io.herdctl.config.fleet.FleetLoader;
import io.herdctl.config.fleet.LoadedFleet;
import io.herdctl.events.AgentSpecResolved;
import io.herdctl.events.EventJson;
import io.herdctl.events.Topics;
import io.herdctl.launcher.EmbeddedStack;
import io.herdctl.launcher.StackOptions;

/**
 * The two figures of the configuration path, on a generated fleet of 1,000
 * agents in three sub-fleets: validate and resolve it (in process, the work
 * behind `herdctl config validate`), and a saved agent file reaching the agents
 * topic through a running config-service.
 *
 * <p>Run: {@code ./herdctl bench config [agents]}.
 */
public final class ConfigLatency {

    private ConfigLatency() {
    }

    public static void main(String[] args) throws Exception {
        int agents = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        Path home = Path.of(System.getProperty("herdctl.home", ".")).toAbsolutePath().normalize();
        Path root = Files.createTempDirectory("herdctl-bench-config-");
        Path fleet = generate(root.resolve("fleet"), agents);

        List<Long> loads = new ArrayList<>();
        LoadedFleet loaded = null;
        long coldStart = System.nanoTime();
        for (int i = 0; i < 6; i++) {
            long t0 = System.nanoTime();
            loaded = new FleetLoader(System.getenv()).load(fleet);
            loads.add((System.nanoTime() - t0) / 1_000_000);
        }
        if (!loaded.accepted() || loaded.agents().size() != agents) {
            throw new IllegalStateException("the generated fleet did not load: " + loaded.errors());
        }
        long cold = loads.get(0);
        List<Long> warm = new ArrayList<>(loads.subList(1, loads.size()));
        Collections.sort(warm);

        long initialPublish;
        List<Long> saves = new ArrayList<>();
        long stackStart = System.nanoTime();
        try (EmbeddedStack stack = EmbeddedStack.start(StackOptions.isolated(home, fleet, root.resolve("state"),
                "bench-" + UUID.randomUUID().toString().substring(0, 8)));
                KafkaConsumer<String, String> consumer = JobTail.consumer(stack.bootstrapServers(), true, Topics.AGENTS)) {
            Set<String> seen = new HashSet<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (seen.size() < agents) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("only " + seen.size() + " agents reached the topic");
                }
                consumer.poll(Duration.ofMillis(100)).forEach(r -> seen.add(r.key()));
            }
            initialPublish = (System.nanoTime() - stackStart) / 1_000_000;
            for (int i = 0; i < 7; i++) {
                Path file = fleet.resolve("team-1/agents/agent-7.yaml");
                String prompt = "edited " + i;
                Instant saved = Instant.now();
                Files.writeString(file, agentYaml("agent-7", prompt));
                Instant arrived = awaitPrompt(consumer, "team-1.agent-7", prompt);
                if (i > 1) {
                    saves.add(Duration.between(saved, arrived).toMillis());
                }
            }
        }
        Collections.sort(saves);
        System.out.printf("""
                fleet: %d agents in 3 sub-fleets (%d files)
                validate + resolve, in process: first %d ms, then median %d ms %s
                stack start to all %d agents on the topic: %d ms
                agent file saved -> new spec on the topic (median of %d): %d ms %s
                (herdctl 1.5.28 measured on this machine class: `config validate` of 1,000 agents 2.30 s, process included)
                """, agents, agents + 4, cold, warm.get(warm.size() / 2), warm, agents, initialPublish, saves.size(),
                saves.get(saves.size() / 2), saves);
    }

    static Path generate(Path fleet, int agents) throws IOException {
        Files.createDirectories(fleet);
        StringBuilder rootFile = new StringBuilder("""
                version: 1
                fleet: {name: bench}
                defaults:
                  model: claude-sonnet
                  docker: {memory: 1g, image: herdctl/test-agent:latest, network: none}
                fleets:
                """);
        for (int team = 0; team < 3; team++) {
            Path dir = fleet.resolve("team-" + team);
            Files.createDirectories(dir.resolve("agents"));
            Files.createDirectories(dir.resolve("workspace"));
            rootFile.append("  - path: team-").append(team).append("/herdctl.yaml\n");
            StringBuilder teamFile = new StringBuilder("fleet: {name: team-" + team + "}\ndefaults:\n  max_turns: 20\nagents:\n");
            for (int i = team; i < agents; i += 3) {
                teamFile.append("  - path: agents/agent-").append(i).append(".yaml\n");
                Files.writeString(dir.resolve("agents/agent-" + i + ".yaml"), agentYaml("agent-" + i, "work on item " + i));
            }
            Files.writeString(dir.resolve("herdctl.yaml"), teamFile.toString());
        }
        Files.writeString(fleet.resolve("herdctl.yaml"), rootFile.toString());
        return fleet;
    }

    static String agentYaml(String name, String prompt) {
        return """
                name: %s
                description: generated for the benchmark
                default_prompt: "%s"
                working_directory: ../workspace
                permission_mode: acceptEdits
                schedules:
                  nightly: {type: cron, cron: "0 3 * * *", enabled: false}
                docker:
                  enabled: true
                  workspace_mode: ro
                  pids_limit: 64
                """.formatted(name, prompt);
    }

    private static Instant awaitPrompt(KafkaConsumer<String, String> consumer, String agent, String prompt) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(20))) {
                if (agent.equals(r.key()) && r.value() != null
                        && prompt.equals(EventJson.read(r.value(), AgentSpecResolved.class).spec().defaultPrompt())) {
                    return Instant.ofEpochMilli(r.timestamp());
                }
            }
        }
        throw new IllegalStateException("the edit of " + agent + " never reached the topic");
    }

}
