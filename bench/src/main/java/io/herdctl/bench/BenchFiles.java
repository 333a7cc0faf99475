package io.herdctl.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** File chores the audit benchmarks share: removing a temp tree, the end of a log, the page-cache state of a file. */
final class BenchFiles {

    private BenchFiles() {
    }

    static Path home() {
        return Path.of(System.getProperty("herdctl.home", ".")).toAbsolutePath().normalize();
    }

    static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.err.println("could not delete " + dir + " entirely: " + e.getMessage());
        }
    }

    /** The last {@code n} lines of a text file (a service log), or why there are none. */
    static String tail(Path file, int n) {
        try {
            List<String> lines = Files.readAllLines(file);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    /**
     * How much of a file is in the page cache, from util-linux {@code fincore}
     * ("resident 1.0 GiB of 1.0 GiB (100 %)"), or "unknown (…)" when it cannot tell.
     */
    static String pageCache(Path file) {
        try {
            Process p = new ProcessBuilder(List.of("fincore", "--bytes", "--noheadings", "--raw", "--output", "RES,SIZE",
                    file.toString())).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (p.waitFor() != 0) {
                return "unknown (fincore: " + out + ")";
            }
            String[] f = out.split("\\s+");
            long res = Long.parseLong(f[0]);
            long size = Long.parseLong(f[1]);
            return String.format("%s of %s resident (%.0f %%)", mib(res), mib(size), size == 0 ? 100.0 : 100.0 * res / size);
        } catch (IOException | RuntimeException e) {
            return "unknown (fincore not usable: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown (interrupted)";
        }
    }

    static String mib(long bytes) {
        return String.format("%,.1f MiB", bytes / 1048576.0);
    }
}
