package io.herdctl.config.upload;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Unpacks an uploaded fleet (zip, tar, or gzip-compressed tar) into a private
 * temporary directory, refusing entries that would land outside it, links, and
 * archives beyond the size limits. The directory is deleted on close.
 */
public final class FleetArchive implements AutoCloseable {

    static final int MAX_ENTRIES = 5_000;
    static final long MAX_TOTAL_BYTES = 50L * 1024 * 1024;

    /** An upload that is not a fleet archive this service can read, with the reason. */
    public static final class BadArchiveException extends RuntimeException {
        BadArchiveException(String message) {
            super(message);
        }
    }

    private final Path dir;
    private int entries;
    private long total;

    private FleetArchive(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /** Unpacks {@code bytes}, telling zip from tar by their first bytes. */
    public static FleetArchive unpack(byte[] bytes) {
        FleetArchive archive;
        try {
            archive = new FleetArchive(Files.createTempDirectory("herdctl-validate-"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory", e);
        }
        try {
            if (bytes.length >= 4 && bytes[0] == 'P' && bytes[1] == 'K') {
                archive.unzip(bytes);
            } else if (bytes.length >= 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b) {
                archive.untar(new GZIPInputStream(new ByteArrayInputStream(bytes)));
            } else if (bytes.length >= 512 && new String(bytes, 257, 5, StandardCharsets.US_ASCII).equals("ustar")) {
                archive.untar(new ByteArrayInputStream(bytes));
            } else {
                throw new BadArchiveException("the upload is neither a zip nor a (gzip-compressed) tar archive");
            }
            return archive;
        } catch (IOException e) {
            archive.close();
            throw new BadArchiveException("the archive cannot be read: " + e.getMessage());
        } catch (RuntimeException e) {
            archive.close();
            throw e;
        }
    }

    private void unzip(byte[] bytes) throws IOException {
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes))) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                Path target = target(entry.getName());
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    write(target, zip);
                }
            }
        }
    }

    /** The ustar format, with GNU long names; links and devices are refused. */
    private void untar(InputStream in) throws IOException {
        String longName = null;
        byte[] header = new byte[512];
        while (in.readNBytes(header, 0, 512) == 512) {
            if (isZero(header)) {
                return;
            }
            String name = field(header, 0, 100);
            String prefix = field(header, 345, 155);
            if (!prefix.isEmpty() && new String(header, 257, 5, StandardCharsets.US_ASCII).equals("ustar")) {
                name = prefix + "/" + name;
            }
            long size = Long.parseLong(field(header, 124, 12).isBlank() ? "0" : field(header, 124, 12).strip(), 8);
            char type = (char) header[156];
            if (longName != null) {
                name = longName;
                longName = null;
            }
            long padded = (size + 511) / 512 * 512;
            switch (type) {
                case '0', '\0', '7' -> {
                    write(target(name), new BoundedInput(in, size));
                    in.skipNBytes(padded - size);
                }
                case '5' -> {
                    Files.createDirectories(target(name));
                    in.skipNBytes(padded);
                }
                case 'L' -> {
                    longName = new String(in.readNBytes((int) Math.min(size, 4096)), StandardCharsets.UTF_8).replace("\0", "");
                    in.skipNBytes(padded - Math.min(size, 4096));
                }
                case 'x', 'g' -> in.skipNBytes(padded);
                default -> throw new BadArchiveException("\"" + name + "\" is a link or special file; a fleet archive holds "
                        + "only files and directories");
            }
        }
    }

    private Path target(String name) {
        if (++entries > MAX_ENTRIES) {
            throw new BadArchiveException("the archive has more than " + MAX_ENTRIES + " entries");
        }
        Path target = dir.resolve(name).normalize();
        if (name.startsWith("/") || !target.startsWith(dir)) {
            throw new BadArchiveException("\"" + name + "\" would be written outside the archive's directory");
        }
        return target;
    }

    private void write(Path target, InputStream content) throws IOException {
        Files.createDirectories(target.getParent());
        byte[] bytes = content.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, MAX_TOTAL_BYTES - total + 1));
        total += bytes.length;
        if (total > MAX_TOTAL_BYTES) {
            throw new BadArchiveException("the archive unpacks to more than " + MAX_TOTAL_BYTES / (1024 * 1024) + " MiB");
        }
        Files.write(target, bytes);
    }

    private static String field(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp dir left behind is harmless
        }
    }

    /** Reads at most {@code limit} bytes of {@code in}. */
    private static final class BoundedInput extends InputStream {
        private final InputStream in;
        private long left;

        BoundedInput(InputStream in, long limit) {
            this.in = in;
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }
}
