package io.herdctl.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

class SecretReferencesTest {

    @Test
    void resolvesOnlySecretNamedReferences() {
        Map<String, String> env = Map.of("GITHUB_TOKEN", "ghp_x", "HOME", "/home/me");
        assertEquals("push with ghp_x from ${HOME} and ${DB_PASSWORD}",
                SecretReferences.resolveSecrets("push with ${GITHUB_TOKEN} from ${HOME} and ${DB_PASSWORD}", env::get));
        assertEquals("key=none", SecretReferences.resolveSecrets("key=${API_KEY:-none}", env::get));
        assertTrue(SecretReferences.isSecretName("ANTHROPIC_API_KEY"));
        assertTrue(SecretReferences.isSecretName("slack_bot_token"));
        assertFalse(SecretReferences.isSecretName("HOME"));
    }
}
