package io.herdctl.runner.docker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.api.model.Volume;

import io.herdctl.events.OutputStream;
import io.herdctl.runner.runtime.LineSplitter;
import io.herdctl.runner.runtime.OutputSink;

/** {@link ContainerEngine} on a Docker engine through docker-java. */
public final class DockerContainerEngine implements ContainerEngine {

    private static final com.fasterxml.jackson.databind.ObjectMapper HOST_CONFIG_JSON =
            new com.fasterxml.jackson.databind.ObjectMapper()
                    .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    private final DockerClient docker;

    public DockerContainerEngine(DockerClient docker) {
        this.docker = docker;
    }

    @Override
    public String start(ContainerPlan plan) {
        try {
            docker.inspectImageCmd(plan.image()).exec();
        } catch (NotFoundException e) {
            throw new JobRejectedException("image \"" + plan.image() + "\" is not on this Docker engine; images are never "
                    + "pulled: build it (./herdctl images) or set docker.image in the fleet file");
        }
        List<Bind> binds = new ArrayList<>();
        for (ContainerPlan.Mount m : plan.binds()) {
            binds.add(new Bind(m.hostPath(), new Volume(m.containerPath()), m.readOnly() ? AccessMode.ro : AccessMode.rw));
        }
        Ports portBindings = new Ports();
        List<ExposedPort> exposed = new ArrayList<>();
        for (ContainerPlan.PortBinding p : plan.ports()) {
            ExposedPort port = ExposedPort.tcp(p.containerPort());
            exposed.add(port);
            portBindings.bind(port, Ports.Binding.bindIpAndPort("127.0.0.1", p.hostPort()));
        }
        HostConfig host = tuning(plan.hostConfig())
                .withCapDrop(Capability.ALL)
                .withSecurityOpts(ContainerPlan.SECURITY_OPTS)
                .withMemory(plan.memoryBytes())
                .withMemorySwap(plan.memoryBytes())
                .withPidsLimit(plan.pidsLimit())
                .withInit(true)
                .withReadonlyRootfs(plan.readOnlyRootFs())
                .withTmpFs(plan.tmpfs())
                .withBinds(binds)
                .withNetworkMode(plan.networkMode())
                .withPortBindings(portBindings);
        if (plan.cpuShares() != null) {
            host.withCpuShares(plan.cpuShares().intValue());
        }
        if (plan.cpuPeriod() != null) {
            host.withCpuPeriod(plan.cpuPeriod());
        }
        if (plan.cpuQuota() != null) {
            host.withCpuQuota(plan.cpuQuota());
        }
        try (CreateContainerCmd create = docker.createContainerCmd(plan.image())) {
            String id;
            try {
                id = create
                    .withName(plan.name())
                    .withCmd(plan.command())
                    .withEnv(plan.env())
                    .withUser(plan.user())
                    .withWorkingDir(plan.workingDir())
                    .withLabels(plan.labels())
                    .withExposedPorts(exposed)
                    .withTty(false)
                    .withAttachStdin(false)
                    .withAttachStdout(true)
                    .withAttachStderr(true)
                    .withHostConfig(host)
                    .exec()
                    .getId();
            } catch (ConflictException e) {
                throw new DuplicateJobException(plan.name());
            }
            try {
                docker.startContainerCmd(id).exec();
            } catch (RuntimeException e) {
                remove(id);
                throw e;
            }
            return id;
        }
    }

    /** The fleet's checked host_config tuning keys as a HostConfig, for the hardening to be set over. */
    private static HostConfig tuning(java.util.Map<String, Object> raw) {
        for (String key : raw.keySet()) {
            String refusal = io.herdctl.events.HostConfigPolicy.refusal(key);
            if (refusal != null) {
                throw new JobRejectedException(refusal);
            }
        }
        if (raw.isEmpty()) {
            return HostConfig.newHostConfig();
        }
        try {
            return HOST_CONFIG_JSON.convertValue(raw, HostConfig.class);
        } catch (IllegalArgumentException e) {
            throw new JobRejectedException("docker.host_config is not a valid Docker HostConfig: " + e.getMessage());
        }
    }

    @Override
    public int follow(String containerId, OutputSink sink) throws InterruptedException {
        Frames frames = new Frames(sink);
        docker.logContainerCmd(containerId).withStdOut(true).withStdErr(true).withFollowStream(true)
                .exec(frames).awaitCompletion();
        Throwable failure = frames.finish();
        if (failure != null) {
            throw new IllegalStateException("reading the container's output failed: " + failure.getMessage(), failure);
        }
        return docker.waitContainerCmd(containerId).exec(new WaitContainerResultCallback()).awaitStatusCode();
    }

    /** Splits a stream of Docker frames into lines per stream, and keeps the first failure. */
    private static final class Frames extends ResultCallback.Adapter<Frame> {
        private final LineSplitter stdout;
        private final LineSplitter stderr;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        Frames(OutputSink sink) {
            stdout = new LineSplitter((line, continues) -> sink.line(OutputStream.STDOUT, line, continues));
            stderr = new LineSplitter((line, continues) -> sink.line(OutputStream.STDERR, line, continues));
        }

        @Override
        public void onNext(Frame frame) {
            (frame.getStreamType() == StreamType.STDERR ? stderr : stdout).accept(frame.getPayload());
        }

        @Override
        public void onError(Throwable throwable) {
            failure.compareAndSet(null, throwable);
            super.onError(throwable);
        }

        /** Hands on what is left of both streams; returns the failure, if any. */
        Throwable finish() {
            stdout.finish();
            stderr.finish();
            return failure.get();
        }
    }

    @Override
    public int exec(String containerId, List<String> argv, List<String> env, String user, String workingDir,
            OutputSink sink) throws InterruptedException {
        String execId = docker.execCreateCmd(containerId).withCmd(argv.toArray(String[]::new)).withEnv(env)
                .withUser(user).withWorkingDir(workingDir).withAttachStdout(true).withAttachStderr(true)
                .withAttachStdin(false).withTty(false).exec().getId();
        Frames frames = new Frames(sink);
        docker.execStartCmd(execId).withDetach(false).withTty(false).exec(frames).awaitCompletion();
        Throwable failure = frames.finish();
        if (failure != null && isRunning(containerId)) {
            throw new IllegalStateException("reading the job's output failed: " + failure.getMessage(), failure);
        }
        Long code = docker.inspectExecCmd(execId).exec().getExitCodeLong();
        return code == null ? 137 : code.intValue();
    }

    @Override
    public boolean isRunning(String containerId) {
        try {
            Boolean running = docker.inspectContainerCmd(containerId).exec().getState().getRunning();
            return Boolean.TRUE.equals(running);
        } catch (NotFoundException e) {
            return false;
        }
    }

    @Override
    public String address(String containerId, String network) {
        if (network == null || network.equals("none") || network.equals("host") || network.startsWith("container:")) {
            return null;
        }
        var settings = docker.inspectContainerCmd(containerId).exec().getNetworkSettings();
        var networks = settings == null || settings.getNetworks() == null
                ? java.util.Map.<String, ContainerNetwork>of() : settings.getNetworks();
        ContainerNetwork on = networks.get(network);
        if (on == null) {
            // Named by id rather than by name: the one network the container is on, if it is on one.
            on = networks.values().stream().filter(n -> network.equals(n.getNetworkID())).findFirst()
                    .orElse(networks.size() == 1 ? networks.values().iterator().next() : null);
        }
        if (on == null) {
            return null;
        }
        if (on.getIpAddress() != null && !on.getIpAddress().isEmpty()) {
            return on.getIpAddress();
        }
        return on.getGlobalIPv6Address() == null || on.getGlobalIPv6Address().isEmpty() ? null
                : on.getGlobalIPv6Address();
    }

    @Override
    public List<HostPaths.Mapping> bindMounts(String id) {
        try {
            var mounts = docker.inspectContainerCmd(id).exec().getMounts();
            if (mounts == null) {
                return List.of();
            }
            return mounts.stream()
                    .filter(m -> m.getSource() != null && m.getDestination() != null && m.getDestination().getPath() != null)
                    .filter(m -> m.getSource().startsWith("/"))
                    .map(m -> new HostPaths.Mapping(m.getDestination().getPath(), m.getSource()))
                    .toList();
        } catch (com.github.dockerjava.api.exception.NotFoundException e) {
            return List.of();
        }
    }

    @Override
    public void stop(String containerId, Duration grace) {
        try {
            if (grace.isZero() || grace.isNegative()) {
                docker.killContainerCmd(containerId).exec();
            } else {
                docker.stopContainerCmd(containerId).withTimeout((int) Math.max(1, grace.toSeconds())).exec();
            }
        } catch (NotFoundException | NotModifiedException | ConflictException e) {
            // Already stopped or gone.
        }
    }

    @Override
    public List<Owned> list(java.util.Map<String, String> labels) {
        List<Owned> owned = new ArrayList<>();
        for (var c : docker.listContainersCmd().withShowAll(true).withLabelFilter(labels).exec()) {
            owned.add(new Owned(c.getId(), c.getLabels() == null ? java.util.Map.of() : c.getLabels(),
                    java.time.Instant.ofEpochSecond(c.getCreated() == null ? 0 : c.getCreated())));
        }
        return owned;
    }

    @Override
    public void remove(String containerId) {
        try {
            docker.removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException e) {
            // Already gone.
        }
    }
}
