package io.herdctl.scheduler.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.herdctl.events.JobRequested;

class ResumeFieldTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String parse(String json) throws Exception {
        return ResumeField.parse(JSON.readTree("{\"resume\":" + json + "}").get("resume"));
    }

    private static String refusal(String json) {
        JsonNode value;
        try {
            value = JSON.readTree("{\"resume\":" + json + "}").get("resume");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return assertThrows(IllegalArgumentException.class, () -> ResumeField.parse(value)).getMessage();
    }

    @Test
    void trueIsTheLatestSessionFalseAndAbsentAreFresh() throws Exception {
        assertEquals(JobRequested.RESUME_LAST, parse("true"));
        assertNull(parse("false"));
        assertNull(parse("null"));
        assertNull(ResumeField.parse(null));
        assertEquals("9f1c2b3a-0d4e-4f5a-8b6c-7d8e9f0a1b2c", parse("\"9f1c2b3a-0d4e-4f5a-8b6c-7d8e9f0a1b2c\""));
        assertEquals("a".repeat(200), parse("\"" + "a".repeat(200) + "\""));
    }

    @Test
    void malformedSessionIdsAreRefusedSayingWhy() {
        assertTrue(refusal("\"  \"").contains("must not be blank"), refusal("\"  \""));
        assertTrue(refusal("\"" + "a".repeat(201) + "\"").contains("201 characters long"));
        assertTrue(refusal("\"../x\"").contains("letters, digits"));
        assertTrue(refusal("\"--help\"").contains("starting with a letter or digit"));
        assertTrue(refusal("\"a\\nb\"").contains("letters, digits"));
        assertTrue(refusal("7").contains("not number"), refusal("7"));
        assertTrue(refusal("[]").startsWith("\"resume\""), refusal("[]"));
    }
}
