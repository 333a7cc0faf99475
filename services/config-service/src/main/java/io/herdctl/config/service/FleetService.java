package io.herdctl.config.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.herdctl.config.fleet.FleetLoader;
import io.herdctl.config.fleet.LoadedFleet;
import io.herdctl.config.messaging.FleetPublisher;
import io.herdctl.events.AgentSpec;
import io.quarkus.scheduler.Scheduled;

/**
 * Keeps the published fleet equal to the files. Each change of the files is one
 * revision: evaluated, announced on the revisions topic, and, only when it has no
 * error, published as agent specs with tombstones for removed agents. A rejected
 * revision leaves the last accepted specs in force.
 */
@ApplicationScoped
public class FleetService {

    private static final Logger LOG = Logger.getLogger(FleetService.class);

    private final FleetSettings settings;
    private final FleetPublisher publisher;
    private final FleetLoader loader = new FleetLoader(System.getenv());

    private volatile LoadedFleet lastEvaluated;
    private volatile LoadedFleet lastAccepted;
    private Set<String> publishedAgents;
    private String fingerprint = "";

    public FleetService(FleetSettings settings, FleetPublisher publisher) {
        this.settings = settings;
        this.publisher = publisher;
    }

    @Scheduled(every = "${herdctl.fleet.poll-interval:2s}", delayed = "${herdctl.fleet.initial-delay:1s}",
            identity = "fleet-poll", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        String current = fingerprint();
        if (!current.equals(fingerprint)) {
            try {
                reload();
            } catch (RuntimeException e) {
                // Nothing was marked as published: the next poll tries the same revision again.
                LOG.warnf("publishing the fleet failed, retrying on the next poll: %s", e.getMessage());
            }
        }
    }

    /**
     * Loads the files now and publishes the outcome; returns what was evaluated.
     * Throws when the broker does not take it, leaving the state as it was.
     */
    public synchronized LoadedFleet reload() {
        String filesSeen = fingerprint();
        LoadedFleet fleet = loader.load(settings.path());
        if (lastEvaluated != null && fleet.revision().equals(lastEvaluated.revision())) {
            fingerprint = filesSeen;
            return fleet;
        }
        if (publishedAgents == null) {
            publishedAgents = new HashSet<>(publisher.currentAgents());
        }
        publisher.publishRevision(fleet);
        if (!fleet.accepted()) {
            lastEvaluated = fleet;
            fingerprint = filesSeen;
            LOG.errorf("fleet revision %s rejected with %d error(s); keeping revision %s:%n  %s", fleet.revision(),
                    fleet.errors().size(), lastAccepted == null ? "none" : lastAccepted.revision(),
                    fleet.errors().stream().map(Object::toString).collect(Collectors.joining("\n  ")));
            return fleet;
        }
        Set<String> current = fleet.agents().stream().map(AgentSpec::qualifiedName).collect(Collectors.toSet());
        List<String> removed = publishedAgents.stream().filter(name -> !current.contains(name)).sorted().toList();
        publisher.publishAgents(fleet.revision(), fleet.agents(), removed);
        publishedAgents = new HashSet<>(current);
        lastEvaluated = fleet;
        lastAccepted = fleet;
        fingerprint = filesSeen;
        fleet.warnings().forEach(w -> LOG.warnf("fleet revision %s: %s", fleet.revision(), w));
        LOG.infof("fleet '%s' revision %s accepted: %d agent(s)%s", fleet.name(), fleet.revision(), fleet.agents().size(),
                removed.isEmpty() ? "" : ", removed " + removed);
        return fleet;
    }

    public Optional<LoadedFleet> lastEvaluated() {
        return Optional.ofNullable(lastEvaluated);
    }

    public Optional<LoadedFleet> lastAccepted() {
        return Optional.ofNullable(lastAccepted);
    }

    /** Size and modification time of every file the last load read or looked for. */
    private String fingerprint() {
        LoadedFleet last = lastEvaluated;
        List<Path> files = last == null ? List.of(settings.path().toAbsolutePath()) : last.files();
        StringBuilder sb = new StringBuilder();
        for (Path file : files) {
            try {
                BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
                sb.append(file).append(':').append(attrs.size()).append(':').append(attrs.lastModifiedTime().toMillis());
            } catch (IOException e) {
                sb.append(file).append(":absent");
            }
            sb.append(';');
        }
        return sb.toString();
    }
}
