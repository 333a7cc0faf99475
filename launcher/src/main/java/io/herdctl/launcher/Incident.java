package io.herdctl.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.herdctl.events.JobIds;

/**
 * {@code ./herdctl incident <jobId>}: collects in one folder what the security
 * guide asks an operator to gather after an incident, so that nobody does it by
 * hand: the job's log, metadata and alerts, what it changed in its workspace,
 * its containers' {@code docker inspect} data, the agent's configuration now,
 * and the kill switch's state and history. Every file is written once, 0600 in
 * a 0700 folder that did not exist before, and {@code SHA256SUMS} lets anyone
 * show later that the bundle is as it was written. Secrets are masked: the
 * containers' environment values and the agent's literal {@code docker.env}
 * values. Exit codes: 0 complete, 1 partial (the sources that could not be read
 * are listed), 2 usage error or a job nobody knows.
 */
final class Incident {

    static final String USAGE = "herdctl incident <jobId> [--out DIR] [--state-dir DIR] [--json]";
    static final int COMPLETE = 0;
    static final int PARTIAL = 1;

    /** A value that names a variable instead of holding one: {@code ${VAR}} or {@code ${VAR:-default}}, any run of them. */
    static final Pattern REFERENCE = Pattern.compile("(\\$\\{[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\\})+");
    /** How an environment value of {@code docker inspect} is masked. */
    static final String ENV_MASK = "***";
    /** How a literal {@code docker.env} value of the agent is masked: as {@code ./herdctl config show} does. */
    static final String CONFIG_MASK = "****";
    static final String SUMS = "SHA256SUMS";
    static final String SUMMARY = "summary.txt";

    private static final int ALERT_PAGE = 500;
    private static final int OUTPUT_PAGE = 10_000;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** Where the running system answers. */
    record Services(String audit, String config, String scheduler, String dashboard) {

        static Services fromEnvironment(Map<String, String> env) {
            return new Services(env.getOrDefault("HERDCTL_AUDIT_URL", JobsClient.DEFAULT_URL),
                    env.getOrDefault("HERDCTL_CONFIG_URL", "http://127.0.0.1:3242"),
                    env.getOrDefault("HERDCTL_SCHEDULER_URL", "http://127.0.0.1:3241"),
                    env.getOrDefault("HERDCTL_DASHBOARD_URL", "http://127.0.0.1:3232"));
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final Services services;
    private final Path defaultStateDir;
    private final ContainerInspector docker;
    private final Clock clock;
    private final PrintStream out;
    private final PrintStream err;

    Incident(Services services, Path defaultStateDir, ContainerInspector docker, Clock clock, PrintStream out,
            PrintStream err) {
        this.services = new Services(trim(services.audit()), trim(services.config()), trim(services.scheduler()),
                trim(services.dashboard()));
        this.defaultStateDir = defaultStateDir;
        this.docker = docker;
        this.clock = clock;
        this.out = out;
        this.err = err;
    }

    static Incident fromEnvironment(PrintStream out, PrintStream err) {
        Map<String, String> env = System.getenv();
        return new Incident(Services.fromEnvironment(env), Path.of(env.getOrDefault("HERDCTL_STATE_DIR", ".herdctl")),
                ContainerInspector.docker(), Clock.systemUTC(), out, err);
    }

    // ---- what the bundle holds ------------------------------------------------------------------------------

    /** A file of the bundle: what it is and where it came from. */
    record Collected(String file, String what, String source) {
    }

    /** Something that should be in the bundle and is not: what, where it was looked for, why it is missing. */
    record Missing(String what, String where, String why) {
    }

    /** The bundle being written. */
    private static final class Bundle {

        final Path dir;
        final List<Collected> collected = new ArrayList<>();
        final List<Missing> missing = new ArrayList<>();
        final List<String> notes = new ArrayList<>();

        Bundle(Path dir) {
            this.dir = dir;
        }

        void missing(String what, String where, String why) {
            missing.add(new Missing(what, where, why));
        }
    }

    /** The job as far as it is known: from the audit API, else from its local metadata. */
    private record Job(String id, JsonNode api, JsonNode yaml) {

        String field(String apiName, String yamlName) {
            JsonNode v = api != null ? api.path(apiName) : yaml != null ? yaml.path(yamlName) : null;
            return v == null || v.isMissingNode() || v.isNull() ? null : v.asText();
        }
    }

    // ---- the command ----------------------------------------------------------------------------------------

    int run(Deque<String> args) throws InterruptedException {
        String id = null;
        Path outDir = null;
        Path stateDir = defaultStateDir;
        boolean stateDirGiven = false;
        boolean json = false;
        try {
            while (!args.isEmpty()) {
                String a = args.pop();
                switch (a) {
                    case "--out", "-o" -> outDir = Path.of(Client.value(a, args));
                    case "--state-dir" -> {
                        stateDir = Path.of(Client.value(a, args));
                        stateDirGiven = true;
                    }
                    case "--json" -> json = true;
                    default -> {
                        if (a.startsWith("-") || id != null) {
                            throw new IllegalArgumentException("unknown argument " + a + "; usage: " + USAGE);
                        }
                        id = a;
                    }
                }
            }
            if (id == null) {
                throw new IllegalArgumentException("usage: " + USAGE);
            }
            if (!JobIds.isValid(id)) {
                throw new IllegalArgumentException("'" + TextTable.oneLine(id) + "' is not a job id (job-YYYY-MM-DD-xxxxxx)");
            }
            return collect(id, stateDir.toAbsolutePath().normalize(), stateDirGiven,
                    outDir == null ? null : outDir.toAbsolutePath().normalize(), json);
        } catch (IllegalArgumentException e) {
            err.println("herdctl: " + e.getMessage());
            return Client.USAGE;
        } catch (IOException e) {
            err.println("herdctl: " + e.getMessage());
            return Client.USAGE;
        }
    }

    private int collect(String id, Path givenStateDir, boolean stateDirGiven, Path outDir, boolean json)
            throws IOException, InterruptedException {
        JsonNode api = null;
        String auditProblem = null;
        boolean auditDoesNotKnow = false;
        try {
            Answer a = get(services.audit(), "/api/jobs/" + id);
            if (a.status() == 200) {
                api = a.json();
            } else if (a.status() == 404) {
                auditDoesNotKnow = true;
            } else {
                auditProblem = a.problem();
            }
        } catch (Unreachable e) {
            auditProblem = e.getMessage();
        }
        Path stateDir = stateDirGiven ? givenStateDir : stateDirOf(id, givenStateDir, api);
        Path jobs = stateDir.resolve("jobs");
        Path localLog = jobs.resolve(id + ".jsonl");
        Path localMeta = jobs.resolve(id + ".yaml");
        JsonNode yaml = readYaml(localMeta);
        if (api == null && yaml == null && !Files.isReadable(localLog)) {
            err.println("herdctl: job " + id + " is unknown: " + (auditDoesNotKnow
                    ? "the audit service at " + services.audit() + " has no such job"
                    : "the audit service at " + services.audit() + " could not say (" + auditProblem + ")")
                    + ", and " + jobs + " has neither " + id + ".yaml nor " + id + ".jsonl (--state-dir DIR to look elsewhere)");
            return Client.USAGE;
        }

        Job job = new Job(id, api, yaml);
        Bundle b = new Bundle(createBundleDir(outDir != null ? outDir
                : stateDir.resolve("incidents").resolve(id + "-" + STAMP.format(clock.instant())), outDir == null));
        if (auditProblem != null) {
            b.missing("the job as the audit service serves it (metadata, workspace changes with why a file is sensitive)",
                    services.audit() + "/api/jobs/" + id, auditProblem);
        } else if (auditDoesNotKnow) {
            b.notes.add("the audit service at " + services.audit() + " does not know the job (removed by retention, or"
                    + " another state dir); what is here comes from " + jobs);
        }

        collectLog(b, job, localLog, auditProblem == null && !auditDoesNotKnow);
        collectMetadata(b, job, localMeta);
        collectAlerts(b, id, stateDir.resolve("alerts").resolve(id + ".jsonl"), auditProblem);
        collectWorkspace(b, job, jobs.resolve(id + ".workspace.json"));
        Set<String> envNames = new java.util.TreeSet<>();
        String runner = collectContainers(b, id, stateDir.resolve("alerts").resolve(id + ".jsonl"), envNames);
        String agent = job.field("agentName", "agent");
        collectAgentConfig(b, agent, envNames);
        collectFleetControl(b, stateDir.resolve("fleet-control.jsonl"));
        runner = runner(b, id, runner);

        Map<String, String> sums = new TreeMap<>();
        for (Collected c : b.collected) {
            sums.put(c.file(), sha256(b.dir.resolve(c.file())));
        }
        String summary = summary(b, job, agent, runner, stateDir, envNames, sums);
        write(b.dir, SUMMARY, summary.getBytes(StandardCharsets.UTF_8));
        sums.put(SUMMARY, sha256(b.dir.resolve(SUMMARY)));
        StringBuilder lines = new StringBuilder();
        sums.forEach((file, sum) -> lines.append(sum).append("  ").append(file).append('\n'));
        write(b.dir, SUMS, lines.toString().getBytes(StandardCharsets.UTF_8));

        if (json) {
            out.println(JSON.writeValueAsString(report(b, job, agent, runner, sums)));
        } else {
            out.println("incident bundle for " + id + " written to " + b.dir);
            b.collected.forEach(c -> out.printf("  %-26s %s%n", c.file(), c.what()));
            if (!b.missing.isEmpty()) {
                out.println("PARTIAL: " + b.missing.size() + " item(s) could not be collected:");
                b.missing.forEach(m -> out.println("  " + m.what() + ": " + m.where() + ": " + m.why()));
            }
            out.println("check it later with: (cd " + b.dir + " && sha256sum -c " + SUMS + ")");
        }
        return b.missing.isEmpty() ? COMPLETE : PARTIAL;
    }

    /**
     * Without {@code --state-dir}: the default state dir when it has the job's files, else the one the job's log is
     * in as the audit API names it ({@code outputFile}), when that file is readable here (the stack of
     * {@code ./herdctl up} keeps its state beside the fleet, not in the current directory).
     */
    private static Path stateDirOf(String id, Path fallback, JsonNode api) {
        if (Files.exists(fallback.resolve("jobs").resolve(id + ".yaml")) || api == null
                || !api.path("outputFile").isTextual()) {
            return fallback;
        }
        try {
            Path log = Path.of(api.path("outputFile").asText()).toAbsolutePath().normalize();
            Path jobs = log.getParent();
            if (log.getFileName().toString().equals(id + ".jsonl") && jobs != null
                    && jobs.getFileName().toString().equals("jobs") && jobs.getParent() != null && Files.isReadable(log)) {
                return jobs.getParent();
            }
        } catch (java.nio.file.InvalidPathException e) {
            // not a path of this machine: the default stands
        }
        return fallback;
    }

    // ---- the sources ----------------------------------------------------------------------------------------

    private void collectLog(Bundle b, Job job, Path local, boolean apiKnowsJob) throws IOException, InterruptedException {
        String localProblem = null;
        if (Files.isReadable(local)) {
            try {
                copy(local, b.dir, "job.jsonl");
                b.collected.add(new Collected("job.jsonl", "the job's log, " + lines(b.dir.resolve("job.jsonl"))
                        + " line(s), as audit-service wrote it", local.toString()));
                return;
            } catch (IOException e) {
                Files.deleteIfExists(b.dir.resolve("job.jsonl"));
                localProblem = "cannot read " + local + ": " + e.getMessage();
            }
        }
        String where = services.audit() + "/api/jobs/" + job.id() + "/output";
        if (!apiKnowsJob) {
            b.missing("the job's log", local + ", " + where, (localProblem != null ? localProblem : "not readable here")
                    + "; the audit service cannot serve it either");
            return;
        }
        StringBuilder log = new StringBuilder();
        long from = 1;
        int count = 0;
        try {
            while (true) {
                Answer a = get(services.audit(), "/api/jobs/" + job.id() + "/output?from=" + from + "&limit=" + OUTPUT_PAGE);
                if (a.status() != 200) {
                    b.missing("the job's log", where, a.problem());
                    return;
                }
                int n = 0;
                for (String line : a.body().split("\n")) {
                    if (!line.isBlank()) {
                        log.append(line.strip()).append('\n');
                        n++;
                    }
                }
                if (n == 0) {
                    break;
                }
                count += n;
                long next = a.headers().firstValue("X-Herdctl-Next-Seq").map(Long::parseLong).orElse(from + n);
                if (next <= from) {
                    b.missing("the job's log", where, "the audit service's X-Herdctl-Next-Seq does not move on from " + from);
                    return;
                }
                from = next;
            }
        } catch (Unreachable e) {
            b.missing("the job's log", where, e.getMessage());
            return;
        } catch (NumberFormatException e) {
            b.missing("the job's log", where, "the audit service sent an X-Herdctl-Next-Seq that is not a number");
            return;
        }
        write(b.dir, "job.jsonl", log.toString().getBytes(StandardCharsets.UTF_8));
        b.collected.add(new Collected("job.jsonl", "the job's log, " + count + " line(s), masked by today's rules",
                where + (localProblem != null ? " (" + localProblem + ")" : " (" + local + " is not readable here)")));
    }

    private void collectMetadata(Bundle b, Job job, Path local) throws IOException {
        if (Files.isReadable(local)) {
            copy(local, b.dir, "job.yaml");
            b.collected.add(new Collected("job.yaml", "the job's metadata in herdctl's format", local.toString()));
            if (job.yaml() == null) {
                b.notes.add(local + " is not valid YAML; it is in the bundle as it was found");
            }
        }
        if (job.api() != null) {
            write(b.dir, "job.json", JSON.writeValueAsBytes(job.api()));
            b.collected.add(new Collected("job.json", "the job as the audit API serves it (status, timing, usage,"
                    + " workspace)", services.audit() + "/api/jobs/" + job.id()));
        }
    }

    private void collectAlerts(Bundle b, String id, Path local, String auditProblem)
            throws IOException, InterruptedException {
        if (Files.isReadable(local)) {
            copy(local, b.dir, "alerts-ocsf.jsonl");
            b.collected.add(new Collected("alerts-ocsf.jsonl", "the job's alerts as stored, OCSF Detection Findings"
                    + " (with container and runner ids)", local.toString()));
        }
        String where = services.audit() + "/api/alerts?job=" + id;
        if (auditProblem != null) {
            b.missing("the job's alerts from the audit API", where, auditProblem
                    + (Files.isReadable(local) ? " (the stored findings are in alerts-ocsf.jsonl)" : ""));
            return;
        }
        ArrayNode alerts = JSON.createArrayNode();
        long total = 0;
        try {
            do {
                Answer a = get(services.audit(), "/api/alerts?job=" + id + "&limit=" + ALERT_PAGE + "&offset=" + alerts.size());
                if (a.status() != 200) {
                    b.missing("the job's alerts", where, a.problem());
                    return;
                }
                JsonNode page = a.json();
                total = page.path("total").asLong();
                if (page.path("alerts").isEmpty()) {
                    break;
                }
                page.path("alerts").forEach(alerts::add);
            } while (alerts.size() < total);
        } catch (Unreachable e) {
            b.missing("the job's alerts", where, e.getMessage());
            return;
        }
        ObjectNode doc = JSON.createObjectNode();
        doc.put("jobId", id);
        doc.put("total", alerts.size());
        doc.set("alerts", alerts);
        write(b.dir, "alerts.json", JSON.writeValueAsBytes(doc));
        b.collected.add(new Collected("alerts.json", "every alert of the job (" + alerts.size() + "), newest first",
                where));
    }

    private void collectWorkspace(Bundle b, Job job, Path local) throws IOException {
        JsonNode w = job.api() == null ? null : job.api().path("workspace");
        String source = services.audit() + "/api/jobs/" + job.id() + " (workspace)";
        boolean markers = true;
        if (job.api() == null && Files.isReadable(local)) {
            w = readJson(local);
            source = local.toString();
            markers = false;
        }
        if (job.api() == null && w == null) {
            b.notes.add("no workspace changes record in " + local + ", and the audit API could not be asked for one");
            return;
        }
        if (w == null || !w.isObject()) {
            b.notes.add("no workspace changes record: the agent's working directory is not in a git repository,"
                    + " the job has not ended, or its record was not readable (" + source + ")");
            return;
        }
        write(b.dir, "workspace.json", JSON.writeValueAsBytes(w));
        b.collected.add(new Collected("workspace.json", "what the job changed in its git workspace (record)", source));
        write(b.dir, "workspace-changes.txt", WorkspaceReport.render(job.id(), w, markers)
                .getBytes(StandardCharsets.UTF_8));
        b.collected.add(new Collected("workspace-changes.txt", "the same, readable: status letters, sensitive files,"
                + " the bounded diff", "workspace.json"));
        if (!markers) {
            b.notes.add("workspace-changes.txt was made from " + local + " without the audit API: files are not marked"
                    + " sensitive there; see the workspace-sensitive-change alerts");
        }
    }

    /** The job's containers, inspected and masked; returns the runner named by their label, if any. */
    private String collectContainers(Bundle b, String id, Path localAlerts, Set<String> envNames) throws IOException {
        Set<String> ids = new LinkedHashSet<>();
        try {
            ids.addAll(docker.containersOf(id));
        } catch (ContainerInspector.Unavailable e) {
            b.missing("docker inspect of the job's containers", "the Docker engine (label "
                    + ContainerInspector.JOB_ID_LABEL + "=" + id + ")", e.getMessage());
            return null;
        }
        // A warm container (ephemeral: false) carries no job label; its id is in the job's alerts.
        for (String known : containerIdsIn(localAlerts)) {
            if (ids.stream().noneMatch(i -> i.startsWith(known) || known.startsWith(i))) {
                ids.add(known);
            }
        }
        ArrayNode inspected = JSON.createArrayNode();
        String runner = null;
        for (String cid : ids) {
            String doc;
            try {
                doc = docker.inspect(cid);
            } catch (ContainerInspector.Unavailable e) {
                b.missing("docker inspect of container " + cid, "the Docker engine", e.getMessage());
                continue;
            }
            if (doc == null) {
                b.notes.add("container " + cid + " has been removed since (its id is in the job's alerts)");
                continue;
            }
            JsonNode parsed;
            try {
                parsed = JSON.readTree(doc);
            } catch (JsonProcessingException e) {
                b.missing("docker inspect of container " + cid, "the Docker engine", "its answer is not JSON");
                continue;
            }
            for (JsonNode c : parsed.isArray() ? parsed : JSON.createArrayNode().add(parsed)) {
                maskEnv(c, envNames);
                inspected.add(c);
                JsonNode label = c.path("Config").path("Labels").path("io.herdctl.runner");
                runner = runner != null ? runner : label.isTextual() ? label.asText() : null;
            }
        }
        if (inspected.isEmpty()) {
            if (b.missing.stream().noneMatch(m -> m.what().startsWith("docker inspect"))) {
                b.notes.add("no container of the job is left (none labelled " + ContainerInspector.JOB_ID_LABEL + "=" + id
                        + "): ephemeral containers are removed when their job ends, and a job with docker.enabled: false"
                        + " ran as a host process");
            }
            return null;
        }
        write(b.dir, "containers.json", JSON.writeValueAsBytes(inspected));
        b.collected.add(new Collected("containers.json", "docker inspect of " + inspected.size()
                + " container(s), environment values masked as " + ENV_MASK, "the Docker engine (docker inspect)"));
        return runner;
    }

    private void collectAgentConfig(Bundle b, String agent, Set<String> envNames) throws IOException, InterruptedException {
        if (agent == null) {
            b.missing("the agent's effective configuration", services.config(), "the job's agent is not known");
            return;
        }
        String where = services.config() + "/api/fleet/agents/" + agent;
        ObjectNode doc = JSON.createObjectNode();
        doc.put("agent", agent);
        try {
            Answer fleet = get(services.config(), "/api/fleet");
            if (fleet.status() == 200) {
                doc.set("acceptedRevision", fleet.json().path("accepted"));
            }
            Answer a = get(services.config(), "/api/fleet/agents/" + URLEncoder.encode(agent, StandardCharsets.UTF_8)
                    .replace("+", "%20"));
            if (a.status() == 404) {
                b.notes.add("agent " + agent + " is not in the fleet config-service has in force now (" + where + ")");
                return;
            }
            if (a.status() != 200) {
                b.missing("the agent's effective configuration", where, a.problem());
                return;
            }
            JsonNode spec = a.json();
            maskConfig(spec);
            spec.path("docker").path("env").fieldNames().forEachRemaining(envNames::add);
            doc.set("spec", spec);
        } catch (Unreachable e) {
            b.missing("the agent's effective configuration", where, e.getMessage());
            return;
        }
        write(b.dir, "agent-config.json", JSON.writeValueAsBytes(doc));
        b.collected.add(new Collected("agent-config.json", "the agent's configuration in force now (literal env values"
                + " masked as " + CONFIG_MASK + "); it may have changed since the job", where));
    }

    private void collectFleetControl(Bundle b, Path local) throws IOException, InterruptedException {
        String where = services.scheduler() + "/api/fleet";
        try {
            Answer a = get(services.scheduler(), "/api/fleet");
            if (a.status() == 200) {
                write(b.dir, "fleet-control.json", JSON.writeValueAsBytes(a.json()));
                b.collected.add(new Collected("fleet-control.json", "the kill switch now: stopped or not, by whom, why,"
                        + " open jobs", where));
            } else {
                b.missing("the kill switch's state", where, a.problem());
            }
        } catch (Unreachable e) {
            b.missing("the kill switch's state", where, e.getMessage());
        }
        if (Files.isReadable(local)) {
            copy(local, b.dir, "fleet-control.jsonl");
            b.collected.add(new Collected("fleet-control.jsonl", "the kill switch's history (every stop and resume)",
                    local.toString()));
        } else {
            b.notes.add("no kill switch history at " + local + " (the switch was never used with this state dir)");
        }
    }

    /** Who ran the job: the container's label, else the dashboard's live view, else the job's stored alerts. */
    private String runner(Bundle b, String id, String fromLabel) throws InterruptedException {
        if (fromLabel != null) {
            return fromLabel + " (container label)";
        }
        try {
            Answer a = get(services.dashboard(), "/api/jobs/" + id);
            if (a.status() == 200 && a.json().path("runnerId").isTextual()) {
                return a.json().path("runnerId").asText() + " (dashboard)";
            }
        } catch (Unreachable e) {
            b.notes.add("the dashboard at " + services.dashboard() + " did not answer, so it could not name the runner: "
                    + e.getMessage());
        }
        try {
            for (JsonNode finding : jsonLines(b.dir.resolve("alerts-ocsf.jsonl"))) {
                JsonNode r = finding.path("unmapped").path("herdctl").path("runner_id");
                if (r.isTextual() && !r.asText().isBlank()) {
                    return r.asText() + " (the job's alerts)";
                }
            }
        } catch (IOException e) {
            // no stored alerts: the runner stays unknown
        }
        return null;
    }

    // ---- masking --------------------------------------------------------------------------------------------

    /** Every {@code Env} list in an inspect document keeps its names; each value becomes {@value #ENV_MASK}. */
    static void maskEnv(JsonNode node, Set<String> names) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                if (f.getKey().equals("Env") && f.getValue().isArray()) {
                    ArrayNode env = (ArrayNode) f.getValue();
                    for (int i = 0; i < env.size(); i++) {
                        String entry = env.get(i).asText();
                        int eq = entry.indexOf('=');
                        if (eq >= 0) {
                            String value = entry.substring(eq + 1);
                            env.set(i, new TextNode(entry.substring(0, eq + 1)
                                    + (REFERENCE.matcher(value).matches() ? value : ENV_MASK)));
                        }
                        names.add(eq >= 0 ? entry.substring(0, eq) : entry);
                    }
                } else if ((f.getKey().equals("Args") || f.getKey().equals("Cmd")) && f.getValue().isArray()) {
                    maskCommand((ArrayNode) f.getValue());
                } else {
                    maskEnv(f.getValue(), names);
                }
            }
        } else if (node.isArray()) {
            node.forEach(n -> maskEnv(n, names));
        }
    }

    /**
     * The runner passes the MCP servers' configuration, their env and headers resolved, on Claude's command
     * line ({@code --mcp-config JSON}): that argument is masked wherever a command appears in the inspect data.
     */
    static void maskCommand(ArrayNode argv) {
        for (int i = 0; i < argv.size(); i++) {
            String arg = argv.get(i).asText();
            if (arg.equals("--mcp-config") && i + 1 < argv.size()) {
                argv.set(i + 1, new TextNode(ENV_MASK));
            } else if (arg.startsWith("--mcp-config=")) {
                argv.set(i, new TextNode("--mcp-config=" + ENV_MASK));
            }
        }
    }

    /**
     * The agent spec with every value of {@code docker.env} that is not a {@code ${VAR}} reference masked, as
     * {@code ./herdctl config show} does, and the same for the env and headers of MCP servers.
     */
    static void maskConfig(JsonNode spec) {
        maskValues(spec.path("docker").path("env"));
        spec.path("mcpServers").forEach(server -> {
            maskValues(server.path("env"));
            maskValues(server.path("headers"));
        });
    }

    private static void maskValues(JsonNode map) {
        if (map instanceof ObjectNode o) {
            List<String> keys = new ArrayList<>();
            o.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                JsonNode v = o.get(k);
                if (!(v.isTextual() && REFERENCE.matcher(v.asText()).matches())) {
                    o.put(k, CONFIG_MASK);
                }
            }
        }
    }

    // ---- the summary ----------------------------------------------------------------------------------------

    private String summary(Bundle b, Job job, String agent, String runner, Path stateDir, Set<String> envNames,
            Map<String, String> sums) {
        StringBuilder s = new StringBuilder();
        s.append("herdctl incident bundle\n\n");
        line(s, "job", job.id());
        line(s, "agent", agent);
        String status = job.field("status", "status");
        String reason = job.field("exitReason", "exit_reason");
        line(s, "status", status == null ? null : status + (reason == null ? "" : " (" + reason + ")"));
        line(s, "trigger", job.field("triggerType", "trigger_type"));
        line(s, "schedule", job.field("schedule", "schedule"));
        line(s, "started", job.field("startedAt", "started_at"));
        line(s, "finished", job.field("completedAt", "finished_at"));
        String seconds = job.field("durationSeconds", "duration_seconds");
        line(s, "duration", seconds == null ? null : seconds + " s");
        line(s, "runner", runner);
        line(s, "error", job.field("error", "error"));
        s.append('\n');
        line(s, "collected at", Instant.now(clock).toString());
        line(s, "collected by", Client.operator());
        line(s, "state dir", stateDir.toString());
        line(s, "audit", services.audit());
        line(s, "config", services.config());
        line(s, "scheduler", services.scheduler());
        line(s, "complete", b.missing.isEmpty() ? "yes" : "NO: " + b.missing.size() + " item(s) could not be collected");

        s.append("\nCollected\n");
        for (Collected c : b.collected) {
            s.append("  ").append(c.file()).append("\n      ").append(c.what()).append("\n      from ")
                    .append(c.source()).append('\n');
        }
        s.append("\nNot collected\n");
        if (b.missing.isEmpty()) {
            s.append("  nothing\n");
        }
        for (Missing m : b.missing) {
            s.append("  ").append(m.what()).append("\n      from ").append(m.where()).append("\n      why: ")
                    .append(m.why()).append('\n');
        }
        if (!b.notes.isEmpty()) {
            s.append("\nNotes\n");
            b.notes.forEach(n -> s.append("  - ").append(n).append('\n'));
        }
        s.append("\nCredentials the job's container or agent could read (names only; revoke the secrets among them):\n  ")
                .append(envNames.isEmpty() ? "none known" : String.join(", ", envNames)).append('\n');
        s.append("""

                Next steps from the security guide
                  - stop the fleet if it is not stopped: ./herdctl stop --all --reason "incident %s"
                  - revoke the credentials above that the agent could use
                  - review the log (job.jsonl, or ./herdctl logs %s) and the alerts
                  - audit what changed in the workspace (workspace-changes.txt)
                """.formatted(job.id(), job.id()));
        s.append("\nSHA-256 of the files above (").append(SUMS).append(" lists these and this file;")
                .append(" check with: sha256sum -c ").append(SUMS).append(")\n");
        sums.forEach((file, sum) -> s.append("  ").append(sum).append("  ").append(file).append('\n'));
        return s.toString();
    }

    private static void line(StringBuilder s, String label, String value) {
        s.append(String.format("%-14s%s%n", label + ":", value == null || value.isBlank() ? "-"
                : TextTable.clean(value.strip()).replace("\n", "\n" + " ".repeat(14))));
    }

    private ObjectNode report(Bundle b, Job job, String agent, String runner, Map<String, String> sums) {
        ObjectNode r = JSON.createObjectNode();
        r.put("bundle", b.dir.toString());
        r.put("jobId", job.id());
        r.put("agent", agent);
        r.put("status", job.field("status", "status"));
        r.put("runner", runner);
        r.put("complete", b.missing.isEmpty());
        r.set("collected", JSON.valueToTree(b.collected));
        r.set("notCollected", JSON.valueToTree(b.missing));
        r.set("notes", JSON.valueToTree(b.notes));
        r.set("sha256", JSON.valueToTree(sums));
        return r;
    }

    // ---- files ----------------------------------------------------------------------------------------------

    /**
     * Creates the bundle's folder, 0700. An existing folder is never written into, unless it is an empty one the
     * operator named with {@code --out}; a default name taken in the same second gets a {@code -2}, {@code -3}, ...
     */
    private static Path createBundleDir(Path dir, boolean defaultName) throws IOException {
        if (dir.getParent() != null) {
            Files.createDirectories(dir.getParent());
        }
        for (int n = 1; n < 100; n++) {
            Path candidate = n == 1 ? dir : dir.resolveSibling(dir.getFileName() + "-" + n);
            try {
                if (posix(candidate.getParent())) {
                    Files.createDirectory(candidate, PosixFilePermissions.asFileAttribute(DIR_MODE));
                    Files.setPosixFilePermissions(candidate, DIR_MODE);
                } else {
                    Files.createDirectory(candidate);
                }
                return candidate;
            } catch (FileAlreadyExistsException e) {
                if (!defaultName) {
                    if (Files.isDirectory(candidate) && empty(candidate)) {
                        if (posix(candidate)) {
                            Files.setPosixFilePermissions(candidate, DIR_MODE);
                        }
                        return candidate;
                    }
                    throw new IllegalArgumentException(candidate + " already exists" + (Files.isDirectory(candidate)
                            ? " and is not empty" : "") + "; an incident bundle is never written over: choose another --out");
                }
            }
        }
        throw new IllegalArgumentException("cannot find a free name for the bundle next to " + dir);
    }

    private static boolean empty(Path dir) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            return !entries.iterator().hasNext();
        }
    }

    private static boolean posix(Path p) {
        return p != null && p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /** A new file of the bundle, 0600 from its creation; an existing one is an error, never replaced. */
    private static OutputStream create(Path dir, String name) throws IOException {
        Path f = dir.resolve(name);
        if (posix(dir)) {
            Files.createFile(f, PosixFilePermissions.asFileAttribute(FILE_MODE));
            Files.setPosixFilePermissions(f, FILE_MODE);
        } else {
            Files.createFile(f);
        }
        return Files.newOutputStream(f, StandardOpenOption.WRITE);
    }

    private static void write(Path dir, String name, byte[] data) throws IOException {
        try (OutputStream o = create(dir, name)) {
            o.write(data);
        }
    }

    private static void copy(Path from, Path dir, String name) throws IOException {
        try (InputStream in = Files.newInputStream(from); OutputStream o = create(dir, name)) {
            in.transferTo(o);
        }
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[65536];
            for (int n; (n = in.read(buf)) > 0;) {
                d.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java has no SHA-256", e);
        }
    }

    /** Lines of a file, counted in bytes: a log is evidence, and a byte that is not UTF-8 must not stop the count. */
    private static long lines(Path file) throws IOException {
        long n = 0;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[65536];
            for (int r; (r = in.read(buf)) > 0;) {
                for (int i = 0; i < r; i++) {
                    n += buf[i] == '\n' ? 1 : 0;
                }
            }
        }
        return n;
    }

    private static JsonNode readYaml(Path file) {
        try {
            return Files.isReadable(file) ? YAML.readTree(file.toFile()) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            return null;
        }
    }

    private static List<JsonNode> jsonLines(Path file) throws IOException {
        List<JsonNode> nodes = new ArrayList<>();
        if (!Files.isReadable(file)) {
            return nodes;
        }
        for (String line : new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\n")) {
            try {
                if (!line.isBlank()) {
                    nodes.add(JSON.readTree(line));
                }
            } catch (JsonProcessingException e) {
                // a torn last line: skipped here, the file itself is in the bundle as it is
            }
        }
        return nodes;
    }

    /** Container ids named by the job's stored alerts (evidence of the container, or herdctl's own field). */
    private static Set<String> containerIdsIn(Path localAlerts) throws IOException {
        Set<String> ids = new LinkedHashSet<>();
        for (JsonNode f : jsonLines(localAlerts)) {
            for (JsonNode id : List.of(f.path("evidences").path(0).path("container").path("uid"),
                    f.path("unmapped").path("herdctl").path("container_id"))) {
                if (id.isTextual() && id.asText().matches("[0-9a-f]{12,64}")) {
                    ids.add(id.asText());
                }
            }
        }
        return ids;
    }

    // ---- HTTP -----------------------------------------------------------------------------------------------

    private record Answer(int status, String body, java.net.http.HttpHeaders headers, String uri) {

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (JsonProcessingException e) {
                return JSON.createObjectNode();
            }
        }

        /** What a non-200 answer says: the API's own message when it sent one. */
        String problem() {
            String message = null;
            try {
                JsonNode m = JSON.readTree(body).path("error").path("message");
                message = m.isTextual() ? m.asText() : null;
            } catch (JsonProcessingException | RuntimeException e) {
                // not an API error document
            }
            String text = message != null ? message : body.length() > 200 ? body.substring(0, 200) + "..." : body;
            return "answered " + status + " to GET " + uri + (text.isBlank() ? "" : ": " + TextTable.oneLine(text));
        }
    }

    /** A service that did not answer at all. */
    private static final class Unreachable extends Exception {

        private static final long serialVersionUID = 1L;

        Unreachable(String message) {
            super(message);
        }
    }

    private Answer get(String base, String pathAndQuery) throws Unreachable, InterruptedException {
        URI uri = URI.create(base + pathAndQuery);
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body(), r.headers(), uri.getPath());
        } catch (IOException e) {
            throw new Unreachable("no answer from " + base + " (" + Client.reason(e) + ")");
        }
    }

    private static String trim(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
