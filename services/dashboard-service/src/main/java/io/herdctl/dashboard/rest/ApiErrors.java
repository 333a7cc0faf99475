package io.herdctl.dashboard.rest;

import java.util.Map;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.herdctl.events.EventJson;

/** The dashboard's one error answer: {@code {"error": {"code", "message"}}}, JSON, from resources and filters alike. */
public final class ApiErrors {

    private ApiErrors() {
    }

    public static Response of(Response.Status status, String code, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(EventJson.write(Map.of("error", Map.of("code", code, "message", message)))).build();
    }

    /**
     * The message of another service's error answer (the same {@code {"error": {"message"}}} shape), or
     * {@code fallback} when the body has none or is not JSON.
     */
    public static String messageOf(Response answer, String fallback) {
        try {
            Object error = answer.readEntity(Map.class).get("error");
            if (error instanceof Map<?, ?> m && m.get("message") != null) {
                return m.get("message").toString();
            }
        } catch (RuntimeException notJson) {
            // the fallback says what there is: the status
        }
        return fallback;
    }
}
