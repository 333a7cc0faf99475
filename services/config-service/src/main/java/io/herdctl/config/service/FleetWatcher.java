package io.herdctl.config.service;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Reacts to a save within a fraction of a second: watches the directories of
 * every file the last load read, waits for the writes to settle (editors write
 * in several steps), then asks {@link FleetService} to look. The periodic poll
 * stays as the safety net for filesystems that do not report changes.
 */
@ApplicationScoped
public class FleetWatcher {

    private static final Logger LOG = Logger.getLogger(FleetWatcher.class);

    private final FleetService fleet;
    private final Duration debounce;
    private WatchService watcher;
    private Thread thread;
    private final Map<Path, WatchKey> watched = new HashMap<>();

    public FleetWatcher(FleetService fleet, FleetSettings settings) {
        this.fleet = fleet;
        this.debounce = settings.debounce();
    }

    void start(@Observes StartupEvent event) {
        try {
            watcher = FileSystems.getDefault().newWatchService();
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warnf("cannot watch the fleet files (%s); changes are picked up by polling only", e.getMessage());
            return;
        }
        thread = new Thread(this::run, "fleet-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) {
        if (watcher != null) {
            try {
                watcher.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    private void run() {
        try {
            while (true) {
                register();
                WatchKey key = watcher.poll(1, TimeUnit.SECONDS);
                if (key == null) {
                    continue;
                }
                drain(key);
                // Let a burst of writes finish before loading.
                WatchKey more;
                while ((more = watcher.poll(debounce.toMillis(), TimeUnit.MILLISECONDS)) != null) {
                    drain(more);
                }
                fleet.poll();
            }
        } catch (ClosedWatchServiceException | InterruptedException e) {
            // shutting down
        } catch (RuntimeException e) {
            LOG.errorf(e, "the fleet watcher stopped; changes are picked up by polling only");
        }
    }

    private static void drain(WatchKey key) {
        key.pollEvents();
        key.reset();
    }

    /** Watches the directories of the files the last load read, and stops watching the others. */
    private void register() {
        Set<Path> dirs = new HashSet<>();
        fleet.watchedFiles().forEach(f -> {
            Path dir = f.toAbsolutePath().getParent();
            if (dir != null) {
                dirs.add(dir);
            }
        });
        watched.entrySet().removeIf(e -> {
            if (!dirs.contains(e.getKey())) {
                e.getValue().cancel();
                return true;
            }
            return false;
        });
        for (Path dir : dirs) {
            if (!watched.containsKey(dir) && dir.toFile().isDirectory()) {
                try {
                    watched.put(dir, dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE,
                            StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE));
                } catch (IOException e) {
                    LOG.debugf("cannot watch %s: %s", dir, e.getMessage());
                }
            }
        }
    }
}
