package io.herdctl.runner.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class HostPathsTest {

    private final HostPaths paths = new HostPaths(List.of(
            new HostPaths.Mapping("/fleet", "/home/me/fleet"),
            new HostPaths.Mapping("/var/lib/herdctl/state/sessions", "/home/me/fleet/.herdctl/sessions")));

    @Test
    void mapsPathsUnderTheRunnersMountsToTheHost() {
        assertEquals("/home/me/fleet/workspace", paths.toHost("/fleet/workspace"));
        assertEquals("/home/me/fleet", paths.toHost("/fleet"));
        assertEquals("/home/me/fleet/.herdctl/sessions/coder", paths.toHost("/var/lib/herdctl/state/sessions/coder"));
        assertEquals("/home/me/fleet/workspace", paths.toHost("/fleet/agents/../workspace"));
    }

    @Test
    void leavesOtherPathsAloneAndDoesNotMatchAPrefixThatIsNotADirectory() {
        assertEquals("/fleet2/x", paths.toHost("/fleet2/x"));
        assertEquals("/srv/data", paths.toHost("/srv/data"));
        assertTrue(HostPaths.IDENTITY.isIdentity());
        assertEquals("/fleet/x", HostPaths.IDENTITY.toHost("/fleet/x"));
    }

    @Test
    void theLongestMountWins() {
        HostPaths nested = new HostPaths(List.of(new HostPaths.Mapping("/fleet", "/a"),
                new HostPaths.Mapping("/fleet/.herdctl", "/b")));
        assertEquals("/b/jobs", nested.toHost("/fleet/.herdctl/jobs"));
        assertEquals("/a/workspace", nested.toHost("/fleet/workspace"));
    }

    @Test
    void parsesEntriesAndNamesABadOne() {
        HostPaths parsed = HostPaths.parse(List.of("/fleet=/home/me/fleet", " "));
        assertEquals("/home/me/fleet/w", parsed.toHost("/fleet/w"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HostPaths.parse(List.of("fleet=/home/me/fleet")));
        assertTrue(e.getMessage().contains("\"fleet=/home/me/fleet\""), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> HostPaths.parse(List.of("/fleet=relative")));
    }
}
