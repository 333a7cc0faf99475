package io.herdctl.config.doctor;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Host directories an agent must never be handed whole, as a working directory or
 * a volume: the guide's "never use ~ or / as workspace", widened to what the same
 * reason covers (other home directories, system directories, credential stores).
 */
final class SensitivePaths {

    private static final Set<Path> SYSTEM = Set.of("/etc", "/usr", "/var", "/opt", "/srv", "/mnt", "/media", "/tmp",
            "/home", "/Users", "/root", "/boot", "/proc", "/sys", "/dev", "/run", "/var/run", "/var/lib/docker")
            .stream().map(Path::of).collect(java.util.stream.Collectors.toUnmodifiableSet());
    /** Under these, even one file is too much (keys, kernel interfaces, devices). */
    private static final List<Path> SYSTEM_FILES = List.of("/etc", "/root", "/boot", "/proc", "/sys", "/dev")
            .stream().map(Path::of).toList();
    /** Directory names that hold credentials wherever they are. */
    private static final Set<String> CREDENTIAL_DIRS = Set.of(".ssh", ".aws", ".gnupg", ".kube", ".docker", ".config",
            ".claude", ".netrc", ".git-credentials", ".azure", ".gcloud");

    private final List<Path> homes;

    /** @param homes the home directories of this machine's users that are known (at least the current user's) */
    SensitivePaths(List<Path> homes) {
        this.homes = homes.stream().map(SensitivePaths::real).toList();
    }

    /** Symlinks resolved where the path exists, as the loader resolves working directories. */
    static Path real(Path path) {
        try {
            return path.toRealPath();
        } catch (java.io.IOException e) {
            return path.toAbsolutePath().normalize();
        }
    }

    /** What {@code dir} is when it is far too broad to give an agent ("a home directory"), or null. */
    String tooBroad(Path dir) {
        Path d = dir.toAbsolutePath().normalize();
        if (d.getParent() == null) {
            return "the filesystem root";
        }
        if (homes.contains(d) || isHomeRoot(d)) {
            return "a home directory";
        }
        if (SYSTEM.contains(d)) {
            return "a system directory";
        }
        return null;
    }

    /** As {@link #tooBroad(Path)}, and also what is inside system or credential directories; for volumes. */
    String sensitive(String hostPath) {
        String broad = hostPath.startsWith("/") ? tooBroad(Path.of(hostPath)) : null;
        if (broad != null) {
            return broad;
        }
        Path p = Path.of(hostPath).normalize();
        for (Path part : p) {
            if (CREDENTIAL_DIRS.contains(part.toString())) {
                return "a credential store (" + part + ")";
            }
        }
        if (hostPath.startsWith("/") && SYSTEM_FILES.stream().anyMatch(p::startsWith)) {
            return "part of the host's system files";
        }
        return null;
    }

    /** /root, /home/NAME, /Users/NAME: the shape of a home directory even when it is not this machine's. */
    private static boolean isHomeRoot(Path d) {
        if (d.equals(Path.of("/root"))) {
            return true;
        }
        return d.getNameCount() == 2 && (d.startsWith("/home") || d.startsWith("/Users"));
    }
}
