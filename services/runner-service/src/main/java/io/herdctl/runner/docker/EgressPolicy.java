package io.herdctl.runner.docker;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.herdctl.runner.config.RunnerSettings;

/**
 * Where job containers may send traffic ({@code herdctl.runner.egress.*}). In the
 * Compose deployment they sit on an {@code internal} network whose only way out
 * is the Squid proxy: the network is what enforces it, the proxy variables are
 * how the tools inside find that way out. The fleet's {@code docker.network} and
 * {@code docker.env} arrive from a topic, so both are applied over what the
 * agent asks for rather than trusted. {@link #NONE} changes nothing.
 *
 * @param network            the network a job container joins instead of {@code bridge}, or null
 * @param proxy              the proxy URL set as HTTP(S)_PROXY, or null
 * @param noProxy            hosts reached without the proxy, besides the loopback ones
 * @param allowAgentNetworks whether an agent may still pick another network past {@code network}
 */
public record EgressPolicy(String network, String proxy, List<String> noProxy, boolean allowAgentNetworks) {

    /** No egress control: Docker's defaults, the agent's own network and env. */
    public static final EgressPolicy NONE = new EgressPolicy(null, null, List.of(), false);

    /** The variables tools read the proxy from (curl, git, npm and Node read one spelling or the other). */
    public static final List<String> PROXY_VARIABLES = List.of("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy");
    public static final List<String> NO_PROXY_VARIABLES = List.of("NO_PROXY", "no_proxy");
    /** Always reached directly: a job's own loopback never goes through the proxy. */
    public static final List<String> LOOPBACK = List.of("localhost", "127.0.0.1", "::1");

    static final String NETWORK_KEY = "herdctl.runner.egress.network";
    static final String PROXY_KEY = "herdctl.runner.egress.proxy";
    static final String NO_PROXY_KEY = "herdctl.runner.egress.no-proxy";
    static final String ALLOW_KEY = "herdctl.runner.egress.allow-agent-networks";

    /** Docker's network names (and ids). */
    private static final Pattern NETWORK_NAME = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9_.-]*$");
    /** Networks that cannot hold traffic back, so cannot be the egress network. */
    private static final Set<String> UNRESTRICTED = Set.of("host", "bridge", "default");

    /** Checks the settings; an {@link IllegalArgumentException} names the key and says what is wrong. */
    public EgressPolicy {
        if (network != null) {
            if (!NETWORK_NAME.matcher(network).matches() || UNRESTRICTED.contains(network)) {
                throw new IllegalArgumentException(NETWORK_KEY + " \"" + network + "\" is not a network that can hold "
                        + "job containers back: name the internal Docker network whose only way out is the proxy "
                        + "(not host, bridge or container:...)");
            }
        }
        if (proxy != null) {
            proxy = checkedProxy(proxy);
        }
        List<String> hosts = new ArrayList<>();
        for (String host : noProxy == null ? List.<String>of() : noProxy) {
            String h = host.strip();
            if (h.isEmpty()) {
                continue;
            }
            if (!h.chars().allMatch(c -> c > ' ' && c < 127 && c != ',' && c != '=')) {
                throw new IllegalArgumentException(NO_PROXY_KEY + " entry \"" + h + "\" is not a host name, address, "
                        + "domain suffix or CIDR");
            }
            hosts.add(h);
        }
        noProxy = List.copyOf(hosts);
    }

    /** The policy the runner's settings ask for; blank values count as unset. */
    public static EgressPolicy of(RunnerSettings.Egress settings) {
        return new EgressPolicy(settings.network().map(String::strip).filter(s -> !s.isEmpty()).orElse(null),
                settings.proxy().map(String::strip).filter(s -> !s.isEmpty()).orElse(null),
                settings.noProxy().orElse(List.of()), settings.allowAgentNetworks());
    }

    /**
     * An http(s) URL of a host and port, nothing else. Credentials are refused (and
     * never echoed): every job could read them from its environment.
     */
    private static String checkedProxy(String proxy) {
        if (proxy.contains("@")) {
            throw new IllegalArgumentException(PROXY_KEY + " carries credentials (user:password@); they are refused "
                    + "because every job could read them from its environment");
        }
        String problem;
        try {
            URI uri = new URI(proxy);
            String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!"http".equals(scheme) && !"https".equals(scheme)) {
                problem = "it does not start with http:// or https://";
            } else if (uri.getHost() == null) {
                problem = "it names no host";
            } else if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")
                    || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                problem = "a proxy URL has no path, query or fragment";
            } else {
                return proxy;
            }
        } catch (URISyntaxException e) {
            problem = e.getMessage();
        }
        throw new IllegalArgumentException(PROXY_KEY + " \"" + proxy + "\" is not a proxy URL such as http://squid:3128: "
                + problem);
    }

    /**
     * The network a job container runs on, given its agent's {@code docker.network}
     * (null when unset): the egress network in place of the default one, {@code none}
     * as it is, anything else refused unless agents may pick their own.
     */
    public String networkFor(String agentNetwork) {
        String asked = agentNetwork == null || agentNetwork.isBlank() ? "bridge" : agentNetwork;
        if (network == null || asked.equals("none") || asked.equals(network)) {
            return asked;
        }
        if (asked.equals("bridge")) {
            return network;
        }
        if (allowAgentNetworks) {
            return asked;
        }
        throw new JobRejectedException("docker.network \"" + asked + "\" is refused: this runner sends job traffic only "
                + "through the egress proxy, on network \"" + network + "\" (" + NETWORK_KEY + "); leave docker.network "
                + "unset (or none), or set " + ALLOW_KEY + "=true to let agents pick their own network");
    }

    /** The variables set in every job container over the agent's own; empty without a proxy. */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        if (proxy == null) {
            return env;
        }
        PROXY_VARIABLES.forEach(name -> env.put(name, proxy));
        Set<String> direct = new LinkedHashSet<>(LOOPBACK);
        direct.addAll(noProxy);
        String list = String.join(",", direct);
        NO_PROXY_VARIABLES.forEach(name -> env.put(name, list));
        return env;
    }

    /** Whether the runner changes anything about a job container's network or environment. */
    public boolean isSet() {
        return network != null || proxy != null;
    }
}
