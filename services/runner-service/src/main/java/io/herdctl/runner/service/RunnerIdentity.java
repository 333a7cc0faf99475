package io.herdctl.runner.service;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.ThreadLocalRandom;

import com.sun.security.auth.module.UnixSystem;

/** Defaults that depend on the machine the runner is on. */
final class RunnerIdentity {

    /** Used when the runner itself runs as root: job containers never do. */
    static final String FALLBACK_USER = "1000:1000";

    private RunnerIdentity() {
    }

    /**
     * The configured name (or the host name) and a random suffix: each start of a
     * runner is a new incarnation, so the jobs of one that died are told apart
     * from the jobs of the one that replaced it.
     */
    static String incarnationId(java.util.Optional<String> configured) {
        String base = configured.orElseGet(() -> {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                return "runner";
            }
        });
        return base + "-" + Integer.toString(36 * 36 * 36 + ThreadLocalRandom.current().nextInt(35 * 36 * 36 * 36), 36);
    }

    /** The runner's uid:gid (files in the workspace stay the user's), or 1000:1000 for root. */
    static String defaultUser() {
        try {
            UnixSystem unix = new UnixSystem();
            return unix.getUid() == 0 ? FALLBACK_USER : unix.getUid() + ":" + unix.getGid();
        } catch (RuntimeException | LinkageError e) {
            return FALLBACK_USER;
        }
    }
}
