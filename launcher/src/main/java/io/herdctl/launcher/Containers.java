package io.herdctl.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The launcher's safety net: whatever a crashed runner left behind carries this
 * stack's label and is removed when the stack stops. Uses the docker CLI, which
 * is present wherever the engine is.
 */
public final class Containers {

    private Containers() {
    }

    /** Ids of containers (running or not) with the given label. */
    public static List<String> withLabel(String label) {
        String out = run(List.of("docker", "ps", "-aq", "--filter", "label=" + label));
        List<String> ids = new ArrayList<>();
        for (String line : out.split("\\R")) {
            if (!line.isBlank()) {
                ids.add(line.strip());
            }
        }
        return ids;
    }

    public static void removeLabelled(String label) {
        List<String> ids = withLabel(label);
        if (!ids.isEmpty()) {
            List<String> cmd = new ArrayList<>(List.of("docker", "rm", "-f"));
            cmd.addAll(ids);
            run(cmd);
        }
    }

    private static String run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            return p.exitValue() == 0 ? out : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
