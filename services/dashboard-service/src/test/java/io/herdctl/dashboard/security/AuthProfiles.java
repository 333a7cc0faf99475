package io.herdctl.dashboard.security;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The dashboard in each authentication mode. */
final class AuthProfiles {

    static final String TOKEN = "test-token-7f3c9a1e5b2d4086a9c1e3f5b7d9a0c2";

    private AuthProfiles() {
    }

    public static class Proxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("herdctl.dashboard.auth", "proxy",
                    "herdctl.dashboard.proxy.trusted-addresses", "127.0.0.1,::1",
                    "herdctl.dashboard.proxy.allowed-groups", "ops,sre");
        }
    }

    public static class UntrustedProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("herdctl.dashboard.auth", "proxy",
                    "herdctl.dashboard.proxy.trusted-addresses", "10.9.9.0/24");
        }
    }

    public static class Token implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("herdctl.dashboard.auth", "token",
                    "herdctl.dashboard.token.sha256", Sessions.sha256(TOKEN));
        }
    }
}
