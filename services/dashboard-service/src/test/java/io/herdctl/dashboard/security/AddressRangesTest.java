package io.herdctl.dashboard.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class AddressRangesTest {

    @Test
    void matchesAddressesAndRangesOfBothFamilies() {
        AddressRanges r = AddressRanges.parse(List.of("127.0.0.1", "172.16.0.0/12", "::1", "fd00::/8", " "), "x");
        assertTrue(r.contains("127.0.0.1"));
        assertFalse(r.contains("127.0.0.2"));
        assertTrue(r.contains("172.16.0.1") && r.contains("172.31.255.254"));
        assertFalse(r.contains("172.32.0.1"));
        assertTrue(r.contains("0:0:0:0:0:0:0:1") && r.contains("[::1]"));
        assertTrue(r.contains("fd12:3456::7"));
        assertFalse(r.contains("fe80::1"));
        assertFalse(r.contains("localhost"), "names are never resolved");
        assertFalse(r.contains(null));
        assertFalse(r.contains("172.16.0.1 "), "only a bare literal");
    }

    @Test
    void aBadEntryIsRefusedWithItsSetting() {
        IllegalArgumentException name = assertThrows(IllegalArgumentException.class,
                () -> AddressRanges.parse(List.of("oauth2-proxy"), "herdctl.dashboard.proxy.trusted-addresses"));
        assertTrue(name.getMessage().startsWith("herdctl.dashboard.proxy.trusted-addresses: \"oauth2-proxy\""),
                name.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AddressRanges.parse(List.of("10.0.0.0/33"), "x"));
        assertThrows(IllegalArgumentException.class, () -> AddressRanges.parse(List.of("10.0.0.0/abc"), "x"));
    }
}
