package io.herdctl.audit.domain;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import io.herdctl.events.EventJson;
import io.herdctl.events.Severity;

/**
 * One request as the egress proxy logged it: a line of its access log, written by
 * Squid's {@code herdctl} log format (see {@code squid/squid.conf}). Strings are
 * URL-encoded by Squid, so a line is one plain JSON object. Only what an alert
 * needs is kept; the request's URL is cut at its query, which may carry a secret.
 */
public record ProxyAccess(Instant time, String client, String method, String host, String port, String url,
        int status, String result, String err) {

    /** How a refusal rule of the proxy names itself in {@code err}. */
    public static final String HERDCTL_ERR_PREFIX = "ERR_HERDCTL_";
    /** The most of a URL an excerpt carries. */
    static final int URL_CHARS = 200;

    /** Why the proxy refused, in words, and how serious that is. */
    public enum Reason {
        NOT_WHITELISTED("ERR_HERDCTL_NOT_WHITELISTED", "domain not on the whitelist", Severity.MEDIUM),
        IP_LITERAL("ERR_HERDCTL_IP_LITERAL", "IP address instead of a name", Severity.HIGH),
        SPECIAL_ADDRESS("ERR_HERDCTL_SPECIAL_ADDRESS",
                "name resolves to a loopback, private or link-local address", Severity.HIGH),
        PORT("ERR_HERDCTL_PORT", "port not allowed (HTTP only to 80, CONNECT only to 443)", Severity.HIGH),
        CLIENT("ERR_HERDCTL_CLIENT", "client not on the agent network", Severity.HIGH),
        OTHER(null, "refused by the proxy", Severity.MEDIUM);

        private final String code;
        private final String words;
        private final Severity severity;

        Reason(String code, String words, Severity severity) {
            this.code = code;
            this.words = words;
            this.severity = severity;
        }

        public String words() {
            return words;
        }

        public Severity severity() {
            return severity;
        }

        static Reason of(String err) {
            for (Reason r : values()) {
                if (r.code != null && r.code.equals(err)) {
                    return r;
                }
            }
            return OTHER;
        }
    }

    /**
     * A line of the log. A line that is not such an object, or lacks the time or
     * the client, fails with an {@link IllegalArgumentException} saying what is wrong.
     */
    public static ProxyAccess parse(String line) {
        JsonNode n;
        try {
            n = EventJson.mapper().readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        String time = text(n, "time");
        String client = text(n, "client");
        if (time == null || client == null) {
            throw new IllegalArgumentException("\"time\" and \"client\" are required");
        }
        Instant at;
        try {
            at = Instant.parse(time);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("\"time\" is not an ISO instant: " + time);
        }
        JsonNode status = n.get("status");
        return new ProxyAccess(at, client, text(n, "method"), text(n, "host"), text(n, "port"), text(n, "url"),
                status == null || !status.canConvertToInt() ? 0 : status.asInt(), text(n, "result"), text(n, "err"));
    }

    /** Squid's {@code -} (nothing to log) is read as absent. */
    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull() || v.isContainerNode()) {
            return null;
        }
        String s = v.asText();
        return s.isEmpty() || s.equals("-") ? null : s;
    }

    /** Whether the proxy refused the request: by one of herdctl's rules, or any other denial. */
    public boolean refused() {
        return result != null && result.startsWith("TCP_DENIED") || err != null && err.startsWith(HERDCTL_ERR_PREFIX);
    }

    public Reason reason() {
        return Reason.of(err);
    }

    /** {@code host:port} as the request named it. */
    public String target() {
        return (host == null ? "?" : host) + ":" + (port == null ? "?" : port);
    }

    /**
     * The URL without its query (Squid may or may not have encoded the {@code ?})
     * or any {@code user:password@}, and at most {@link #URL_CHARS} long: a query or
     * a login may carry a secret. A CONNECT's URL is its {@code host:port}.
     */
    public String urlWithoutQuery() {
        if (url == null) {
            return null;
        }
        String url = withoutLogin(this.url);
        int cut = url.length();
        int q = url.indexOf('?');
        if (q >= 0) {
            cut = q;
        }
        int encoded = url.toUpperCase(Locale.ROOT).indexOf("%3F");
        if (encoded >= 0 && encoded < cut) {
            cut = encoded;
        }
        String out = url.substring(0, cut);
        if (out.length() > URL_CHARS) {
            out = out.substring(0, URL_CHARS) + "…";
        }
        return cut < url.length() ? out + "?…" : out;
    }

    private static String withoutLogin(String url) {
        int scheme = url.indexOf("://");
        int from = scheme < 0 ? 0 : scheme + 3;
        int end = url.length();
        for (char c : new char[] {'/', '?', '#'}) {
            int i = url.indexOf(c, from);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        int at = url.lastIndexOf('@', end - 1);
        return at >= from ? url.substring(0, from) + url.substring(at + 1) : url;
    }
}
