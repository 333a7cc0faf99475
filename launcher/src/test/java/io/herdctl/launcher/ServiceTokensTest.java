package io.herdctl.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceTokensTest {

    @TempDir
    Path home;

    @Test
    void theFileIsTheUsersOnlyAndGoesOnlyToALoopbackScheduler() throws IOException {
        Path file = home.resolve(".herdctl/service-token");
        String token = ServiceTokens.generate();
        assertEquals(64, token.length());
        assertNotEquals(token, ServiceTokens.generate());
        ServiceTokens.write(file, token);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));

        assertEquals(Optional.of(token), ServiceTokens.forCommands(Map.of(), file, "http://127.0.0.1:3241"));
        assertEquals(Optional.of(token), ServiceTokens.forCommands(Map.of(), file, "http://localhost:3241"));
        assertEquals(Optional.empty(), ServiceTokens.forCommands(Map.of(), file, "http://scheduler.example.test:3241"),
                "the local stack's token is never sent to another scheduler");
        assertEquals(Optional.of("given"), ServiceTokens.forCommands(Map.of(ServiceTokens.ENV, " given "), file,
                "http://scheduler.example.test:3241"), "an exported token goes wherever the user points the CLI");

        ServiceTokens.removeIfOurs(file, "another stack's");
        assertTrue(Files.exists(file), "a token another stack wrote since is left alone");
        ServiceTokens.removeIfOurs(file, token);
        assertFalse(Files.exists(file));
        assertEquals(Optional.empty(), ServiceTokens.forCommands(Map.of(), file, "http://127.0.0.1:3241"));
    }
}
