package io.herdctl.config.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    private static final int REVISION_HISTORY = 50;

    /** What the agents topic holds, as this service last wrote it (null spec: unreadable, to be replaced). */
    private Map<String, AgentSpec> published;
    private Map<String, String> lastPublishedRevision;
    private final Deque<LoadedFleet> history = new ArrayDeque<>();
    private String fingerprint = "";

    public FleetService(FleetSettings settings, FleetPublisher publisher) {
        this.settings = settings;
        this.publisher = publisher;
    }

    @Scheduled(every = "${herdctl.fleet.poll-interval:2s}", delayed = "${herdctl.fleet.initial-delay:1s}",
            identity = "fleet-poll", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledPoll() {
        poll();
    }

    /** The files to watch: what the last load read or looked for (the fleet location before the first load). */
    public List<Path> watchedFiles() {
        LoadedFleet last = lastEvaluated;
        return last == null ? List.of(settings.path().toAbsolutePath()) : last.files();
    }

    /** Reloads when any watched file changed since the last load. */
    synchronized void poll() {
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
        if (published == null) {
            FleetPublisher.Published now = publisher.published();
            published = new HashMap<>(now.agents());
            lastPublishedRevision = new HashMap<>(now.lastRevision());
        }
        String fleetKey = fleet.name() == null ? "fleet" : fleet.name();
        if (!fleet.revision().equals(lastPublishedRevision.get(fleetKey))) {
            publisher.publishRevision(fleet);
            lastPublishedRevision.put(fleetKey, fleet.revision());
        }
        remember(fleet);
        if (!fleet.accepted()) {
            lastEvaluated = fleet;
            fingerprint = filesSeen;
            LOG.errorf("fleet revision %s rejected with %d error(s); keeping revision %s:%n  %s", fleet.revision(),
                    fleet.errors().size(), lastAccepted == null ? "none" : lastAccepted.revision(),
                    fleet.errors().stream().map(Object::toString).collect(Collectors.joining("\n  ")));
            return fleet;
        }
        Set<String> current = fleet.agents().stream().map(AgentSpec::qualifiedName).collect(Collectors.toSet());
        List<String> removed = published.keySet().stream().filter(name -> !current.contains(name)).sorted().toList();
        List<AgentSpec> changed = fleet.agents().stream()
                .filter(a -> !published.containsKey(a.qualifiedName()) || !a.equals(published.get(a.qualifiedName())))
                .toList();
        publisher.publishAgents(fleet.revision(), changed, removed);
        removed.forEach(published::remove);
        changed.forEach(a -> published.put(a.qualifiedName(), a));
        lastEvaluated = fleet;
        lastAccepted = fleet;
        fingerprint = filesSeen;
        fleet.warnings().forEach(w -> LOG.warnf("fleet revision %s: %s", fleet.revision(), w));
        LOG.infof("fleet '%s' revision %s accepted: %d agent(s), %d published, %d removed", fleet.name(),
                fleet.revision(), fleet.agents().size(), changed.size(), removed.size());
        return fleet;
    }

    private void remember(LoadedFleet fleet) {
        synchronized (history) {
            history.addFirst(fleet);
            while (history.size() > REVISION_HISTORY) {
                history.removeLast();
            }
        }
    }

    /** The revisions evaluated since this service started, newest first (at most 50). */
    public List<LoadedFleet> history() {
        synchronized (history) {
            return List.copyOf(history);
        }
    }

    public Optional<LoadedFleet> lastEvaluated() {
        return Optional.ofNullable(lastEvaluated);
    }

    public Optional<LoadedFleet> lastAccepted() {
        return Optional.ofNullable(lastAccepted);
    }

    /** Size and modification time of every file the last load read or looked for. */
    private String fingerprint() {
        List<Path> files = watchedFiles();
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
