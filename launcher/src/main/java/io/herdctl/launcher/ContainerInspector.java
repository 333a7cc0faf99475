package io.herdctl.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What {@code ./herdctl incident} asks the Docker engine: the containers a job
 * ran in, found by the runner's ownership label, and their {@code docker
 * inspect} data. An interface so that the unit tests need no engine; in
 * production it is the docker CLI, as for {@link Containers}.
 */
interface ContainerInspector {

    /** The label every job container carries (the runner's {@code Labels.JOB_ID}). */
    String JOB_ID_LABEL = "io.herdctl.job-id";

    /** Ids of the containers, running or not, labelled with this job id; empty when none is left. */
    List<String> containersOf(String jobId) throws Unavailable;

    /** The container's {@code docker inspect} document (a JSON array of one), or null when no container has the id. */
    String inspect(String containerId) throws Unavailable;

    /** The engine could not be asked: no docker CLI, the engine does not answer, a time-out. */
    final class Unavailable extends Exception {

        private static final long serialVersionUID = 1L;

        Unavailable(String message) {
            super(message);
        }
    }

    static ContainerInspector docker() {
        return new DockerCli();
    }

    /** The docker CLI: present wherever the engine is, and it honours DOCKER_HOST and the user's contexts. */
    final class DockerCli implements ContainerInspector {

        private static final long TIMEOUT_SECONDS = 30;

        @Override
        public List<String> containersOf(String jobId) throws Unavailable {
            Result r = run(List.of("docker", "ps", "-aq", "--no-trunc", "--filter", "label=" + JOB_ID_LABEL + "=" + jobId));
            if (r.exit != 0) {
                throw new Unavailable("`docker ps` failed (exit " + r.exit + "): " + TextTable.oneLine(r.err.strip()));
            }
            List<String> ids = new ArrayList<>();
            for (String line : r.out.split("\\R")) {
                if (!line.isBlank()) {
                    ids.add(line.strip());
                }
            }
            return ids;
        }

        @Override
        public String inspect(String containerId) throws Unavailable {
            Result r = run(List.of("docker", "inspect", "--type", "container", containerId));
            if (r.exit == 0) {
                return r.out;
            }
            if (r.err.contains("No such object") || r.err.contains("No such container")) {
                return null;
            }
            throw new Unavailable("`docker inspect " + containerId + "` failed (exit " + r.exit + "): "
                    + TextTable.oneLine(r.err.strip()));
        }

        private record Result(int exit, String out, String err) {
        }

        private static Result run(List<String> cmd) throws Unavailable {
            Process p;
            try {
                p = new ProcessBuilder(cmd).start();
            } catch (IOException e) {
                throw new Unavailable("cannot run the docker CLI (" + e.getMessage() + ")");
            }
            // Both streams are read at once: an inspect document can be larger than a pipe's buffer.
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
            String out = read(p.getInputStream());
            try {
                if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new Unavailable("`" + String.join(" ", cmd) + "` did not end within " + TIMEOUT_SECONDS + " s");
                }
                return new Result(p.exitValue(), out, err.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
                throw new Unavailable("interrupted while waiting for `" + String.join(" ", cmd) + "`");
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                return new Result(p.exitValue(), out, "");
            }
        }

        private static String read(java.io.InputStream in) {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }
    }
}
