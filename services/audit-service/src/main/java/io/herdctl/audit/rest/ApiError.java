package io.herdctl.audit.rest;

import java.util.Map;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** An API error in the shape every herdctl service answers with: {@code {"error": {code, message, details}}}. */
final class ApiError extends WebApplicationException {

    ApiError(Response.Status status, String code, String message) {
        super(message, Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", Map.of("code", code, "message", message, "details", Map.of()))).build());
    }

    static ApiError badRequest(String message) {
        return new ApiError(Response.Status.BAD_REQUEST, "INVALID_PARAMETER", message);
    }

    static ApiError notFound(String code, String message) {
        return new ApiError(Response.Status.NOT_FOUND, code, message);
    }
}
