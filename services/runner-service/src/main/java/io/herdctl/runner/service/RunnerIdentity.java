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

    static String randomId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "runner";
        }
        return host + "-" + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36 * 36), 36);
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
