package io.herdctl.runner.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

class SecretRedactorTest {

    @Test
    void redactsValuesTheRunnerHandedOutAndKnownTokenShapes() {
        SecretRedactor redactor = new SecretRedactor(Map.of("ANTHROPIC_API_KEY", "my-very-secret-key", "SHORT", "abc"));
        assertEquals("key [REDACTED:env:ANTHROPIC_API_KEY] and abc stays",
                redactor.redact("key my-very-secret-key and abc stays"));
        assertEquals("gh [REDACTED:github-token] aws [REDACTED:aws-access-key] slack [REDACTED:slack-token] "
                + "ant [REDACTED:anthropic-key]",
                redactor.redact("gh ghp_abcdefghijklmnopqrstuvwxyz0123456789AB aws AKIAABCDEFGHIJKLMNOP slack "
                        + "xoxb-1234567890-abcdef ant sk-ant-api03-abcdefghijklmnopqrstuv"));
        assertEquals("{\"k\":\"[REDACTED:private-key]\"}", redactor.redact(
                "{\"k\":\"-----BEGIN RSA PRIVATE KEY-----\\nMIIEpAIBAAKCAQEA\\n-----END RSA PRIVATE KEY-----\"}"));
    }

    @Test
    void masksEveryFormatOfTheSharedCatalogueAlsoAfterAJsonEscape() {
        SecretRedactor redactor = new SecretRedactor(Map.of());
        assertEquals("{\"content\":\"one\\n[REDACTED:github-token]\\n[REDACTED:gitlab-token] "
                + "[REDACTED:google-api-key] [REDACTED:api-key]\"}",
                redactor.redact("{\"content\":\"one\\nghp_abcdefghijklmnopqrstuvwxyz0123456789\\n"
                        + "glpat-abcdefghij0123456789 AIzaSyA0123456789abcdefghijklmnopqrstuv "
                        + "sk-proj-abc123def456ghi789jkl012\"}"));
        String names = "pip install sk-learn-compatible-estimators; see task-abcdefghijklmnopqrstuvwxyz0123";
        assertEquals(names, redactor.redact(names));
    }
}
