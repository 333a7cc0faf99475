package io.herdctl.scheduler.rest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.herdctl.events.AgentSpec;
import io.herdctl.events.DotEnv;
import io.herdctl.events.TriggerType;
import io.herdctl.scheduler.domain.AgentDirectory;
import io.herdctl.scheduler.service.TriggerService;
import io.smallrye.common.annotation.Blocking;

/**
 * Webhook schedules: {@code POST /api/webhooks/{agent}/{schedule}} with header
 * {@code X-Herdctl-Signature: sha256=<hex HMAC-SHA256 of the raw body>}, keyed
 * with the secret in the environment variable the fleet's
 * {@code webhooks.secret_env} names. Unsigned or wrongly signed requests are
 * refused; so is every request while the secret is not set. The body (up to
 * {@link #MAX_BODY_BYTES}) reaches the prompt: in place of
 * {@code {{webhook.body}}} if the prompt has it, else after it.
 */
@Path("/api/webhooks/{agent}/{schedule}")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class WebhookResource {

    public static final String SIGNATURE_HEADER = "X-Herdctl-Signature";
    public static final String BODY_PLACEHOLDER = "{{webhook.body}}";
    static final int MAX_BODY_BYTES = 64 * 1024;
    private static final Logger LOG = Logger.getLogger(WebhookResource.class);

    private final AgentDirectory agents;
    private final TriggerService triggers;
    private final Optional<java.nio.file.Path> envFile;

    public WebhookResource(AgentDirectory agents, TriggerService triggers,
            @ConfigProperty(name = "herdctl.scheduler.env-file") Optional<java.nio.file.Path> envFile) {
        this.agents = agents;
        this.triggers = triggers;
        this.envFile = envFile;
    }

    @POST
    public Response receive(@PathParam("agent") String agentName, @PathParam("schedule") String scheduleName,
            @HeaderParam(SIGNATURE_HEADER) String signature, byte[] body) throws Exception {
        AgentSpec agent = agents.find(agentName).orElse(null);
        AgentSpec.ScheduleSpec schedule = agent == null ? null : agent.schedules().get(scheduleName);
        if (schedule == null || !"webhook".equals(schedule.type())) {
            return TriggerResource.error(Response.Status.NOT_FOUND, "WEBHOOK_NOT_FOUND", "Agent \"" + agentName
                    + "\" has no webhook schedule \"" + scheduleName + "\"", Map.of());
        }
        if (!schedule.enabled()) {
            return TriggerResource.error(Response.Status.CONFLICT, "WEBHOOK_DISABLED", "Webhook schedule \""
                    + scheduleName + "\" of agent \"" + agentName + "\" is disabled", Map.of());
        }
        byte[] payload = body == null ? new byte[0] : body;
        if (payload.length > MAX_BODY_BYTES) {
            return TriggerResource.error(Response.Status.REQUEST_ENTITY_TOO_LARGE, "PAYLOAD_TOO_LARGE",
                    "the payload is " + payload.length + " bytes; at most " + MAX_BODY_BYTES + " are accepted", Map.of());
        }
        String secret = secret(schedule.secretEnv());
        if (secret == null) {
            return TriggerResource.error(Response.Status.SERVICE_UNAVAILABLE, "WEBHOOK_SECRET_MISSING",
                    schedule.secretEnv() == null
                            ? "the fleet sets no webhooks.secret_env, so webhook requests cannot be verified"
                            : "the environment variable " + schedule.secretEnv() + " (webhooks.secret_env) is not set",
                    Map.of());
        }
        if (!validSignature(secret, payload, signature)) {
            LOG.warnf("webhook %s/%s: refused a request with %s signature", agentName, scheduleName,
                    signature == null ? "no" : "a wrong");
            return TriggerResource.error(Response.Status.UNAUTHORIZED, "INVALID_SIGNATURE", "the " + SIGNATURE_HEADER
                    + " header must be sha256=<hex HMAC-SHA256 of the body>", Map.of());
        }
        String text = new String(payload, StandardCharsets.UTF_8);
        String base = schedule.prompt() != null && !schedule.prompt().isBlank() ? schedule.prompt()
                : agent.defaultPrompt() != null && !agent.defaultPrompt().isBlank() ? agent.defaultPrompt()
                : "Handle this webhook event.";
        String prompt = base.contains(BODY_PLACEHOLDER) ? base.replace(BODY_PLACEHOLDER, text)
                : base + "\n\nWebhook payload:\n" + text;
        TriggerService.Outcome outcome = triggers.trigger(agent.qualifiedName(), scheduleName, prompt, null,
                TriggerType.WEBHOOK);
        if (outcome instanceof TriggerService.Accepted a) {
            return Response.accepted(Map.of("jobId", a.request().jobId(), "agentName", a.request().agent(),
                    "schedule", scheduleName, "triggerType", "webhook", "status", "pending")).build();
        }
        if (outcome instanceof TriggerService.FleetStopped f) {
            return TriggerResource.fleetStopped(f);
        }
        if (outcome instanceof TriggerService.AtCapacity c) {
            return TriggerResource.error(Response.Status.CONFLICT, "CONCURRENCY_LIMIT", "Agent \"" + c.name()
                    + "\" has reached its concurrency limit: " + c.running() + "/" + c.limit() + " jobs running",
                    Map.of("running", c.running(), "limit", c.limit()));
        }
        return TriggerResource.error(Response.Status.NOT_FOUND, "WEBHOOK_NOT_FOUND", "Agent \"" + agentName
                + "\" not found", Map.of());
    }

    private String secret(String name) {
        if (name == null) {
            return null;
        }
        String value = System.getenv(name);
        if ((value == null || value.isEmpty()) && envFile.isPresent()
                && java.nio.file.Files.isRegularFile(envFile.get())) {
            try {
                value = DotEnv.parse(java.nio.file.Files.readString(envFile.get())).get(name);
            } catch (java.io.IOException e) {
                LOG.warnf("cannot read %s: %s", envFile.get(), e.getMessage());
            }
        }
        return value == null || value.isEmpty() ? null : value;
    }

    /** Compares in constant time, so the signature cannot be guessed byte by byte. */
    static boolean validSignature(String secret, byte[] body, String header) throws Exception {
        if (header == null || !header.startsWith("sha256=")) {
            return false;
        }
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] expected = mac.doFinal(body);
        byte[] given;
        try {
            given = HexFormat.of().parseHex(header.substring("sha256=".length()).trim().toLowerCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(expected, given);
    }
}
