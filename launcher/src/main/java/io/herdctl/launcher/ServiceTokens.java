package io.herdctl.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * The service token: the secret scheduler-service asks of every call that
 * changes the fleet (triggers, the kill switch, schedule switches). The embedded
 * stack makes one per start unless {@code HERDCTL_SERVICE_TOKEN} gives it, hands it
 * to the scheduler and the dashboard only, and {@code ./herdctl up} leaves it in
 * {@code ~/.herdctl/service-token} (0600) for the {@code herdctl} commands of the
 * same user. Job containers see neither the variable nor the file.
 */
public final class ServiceTokens {

    public static final String ENV = "HERDCTL_SERVICE_TOKEN";

    private ServiceTokens() {
    }

    /** 32 random bytes as hex. */
    public static String generate() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Where {@code ./herdctl up} leaves the token for this user's commands. */
    public static Path file() {
        return Path.of(System.getProperty("user.home"), ".herdctl", "service-token");
    }

    /**
     * The token from the environment; else, for a scheduler on this machine's loopback
     * (the one {@code ./herdctl up} runs), from {@link #file()}; else none. The file's
     * token is never sent anywhere else.
     */
    public static Optional<String> forCommands(Map<String, String> env, Path file, String schedulerUrl) {
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Optional.of(fromEnv.strip());
        }
        if (!isLoopback(schedulerUrl)) {
            return Optional.empty();
        }
        try {
            if (Files.isRegularFile(file)) {
                String t = Files.readString(file, StandardCharsets.UTF_8).strip();
                return t.isEmpty() ? Optional.empty() : Optional.of(t);
            }
        } catch (IOException e) {
            // Unreadable: the scheduler's 401 then says what it needs.
        }
        return Optional.empty();
    }

    static boolean isLoopback(String url) {
        try {
            String host = java.net.URI.create(url).getHost();
            return host != null && (host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]")
                    || host.equals("::1"));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Writes {@code token} to {@code file}, readable by this user only, its folder 0700. */
    public static void write(Path file, String token) throws IOException {
        Path dir = file.getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, token + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Removes {@code file} if it still holds {@code token} (another stack may have replaced it since). */
    public static void removeIfOurs(Path file, String token) {
        try {
            if (Files.isRegularFile(file) && Files.readString(file, StandardCharsets.UTF_8).strip().equals(token)) {
                Files.delete(file);
            }
        } catch (IOException e) {
            // Left behind: it no longer opens anything once this stack is gone.
        }
    }
}
