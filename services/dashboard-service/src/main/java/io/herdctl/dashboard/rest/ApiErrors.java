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
}
