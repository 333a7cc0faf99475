package io.herdctl.config.fleet;

/** Field paths as herdctl prints them: {@code defaults.docker.env.TOKEN}, {@code agents[0].path}. */
final class Paths {

    private Paths() {
    }

    static String child(String path, String key) {
        return path == null || path.isEmpty() ? key : path + "." + key;
    }

    static String index(String path, int i) {
        return (path == null ? "" : path) + "[" + i + "]";
    }
}
