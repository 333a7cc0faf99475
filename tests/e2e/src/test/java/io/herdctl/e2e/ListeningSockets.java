package io.herdctl.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/** The TCP sockets that given processes listen on, read from /proc (Linux). */
final class ListeningSockets {

    private ListeningSockets() {
    }

    static List<InetSocketAddress> of(Iterable<Long> pids) throws IOException {
        Map<String, InetSocketAddress> listening = new HashMap<>();
        read(Path.of("/proc/net/tcp"), listening);
        read(Path.of("/proc/net/tcp6"), listening);
        Set<String> inodes = new HashSet<>();
        for (long pid : pids) {
            Path fds = Path.of("/proc", Long.toString(pid), "fd");
            if (!Files.isDirectory(fds)) {
                continue;
            }
            try (Stream<Path> links = Files.list(fds)) {
                links.forEach(link -> {
                    try {
                        String target = Files.readSymbolicLink(link).toString();
                        if (target.startsWith("socket:[")) {
                            inodes.add(target.substring(8, target.length() - 1));
                        }
                    } catch (IOException e) {
                        // the descriptor closed while we looked
                    }
                });
            }
        }
        List<InetSocketAddress> out = new ArrayList<>();
        inodes.forEach(inode -> {
            InetSocketAddress address = listening.get(inode);
            if (address != null) {
                out.add(address);
            }
        });
        return out;
    }

    private static void read(Path table, Map<String, InetSocketAddress> listening) throws IOException {
        if (!Files.exists(table)) {
            return;
        }
        List<String> lines = Files.readAllLines(table);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.trim().split("\\s+");
            if (!"0A".equals(f[3])) {
                continue; // not LISTEN
            }
            String[] local = f[1].split(":");
            listening.put(f[9], new InetSocketAddress(address(local[0]), Integer.parseInt(local[1], 16)));
        }
    }

    /** /proc writes addresses as 32-bit words in host (little-endian) order. */
    private static InetAddress address(String hex) throws UnknownHostException {
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int i = 0; i < 4; i++) {
                int at = word * 8 + (3 - i) * 2;
                bytes[word * 4 + i] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
            }
        }
        return InetAddress.getByAddress(bytes);
    }
}
