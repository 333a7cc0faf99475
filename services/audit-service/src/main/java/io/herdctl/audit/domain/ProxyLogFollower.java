package io.herdctl.audit.domain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.herdctl.events.EventJson;

/**
 * Follows a log file another process appends to (the egress proxy's access log),
 * returning each complete line once, with the byte offset it starts at. What has
 * been handled is kept in an offset file ({@link #commit}), so a restart goes on
 * from there: it neither reads a handled line again nor skips one.
 * <p>
 * The file may not exist yet (it is waited for). A file shorter than the offset
 * was truncated (copytruncate rotation) and is read again from its start; a file
 * with another identity (device and inode) under the same name was replaced
 * (rename rotation): the old one is read to its end first, then the new one from
 * its start. Across a restart, an inode may have been reused by a new file, so the
 * offset file also keeps a digest of the file's first bytes, which must match.
 * A last line without its newline is still being written and waits for it. A
 * line longer than {@code maxLineBytes} is skipped with a WARN naming the file
 * and the offset, whatever its length. Not thread-safe: one thread polls.
 */
public final class ProxyLogFollower implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ProxyLogFollower.class);
    /** How much of the file's start the offset file keeps a digest of. */
    static final int HEAD_BYTES = 256;

    /** A complete line (without its newline), the offset of its first byte, and of the next line's. */
    public record Line(long offset, long next, String text) {
    }

    private final Path file;
    private final Path offsetFile;
    private final int maxLineBytes;
    private final int maxLinesPerPoll;
    private final ByteBuffer buffer;

    private FileChannel channel;
    /** The open file's identity ({@code (dev=…,ino=…)} on Linux), null when the platform has none. */
    private String key;
    /** Where the next unread line starts. */
    private long position;
    /** While skipping an over-long line: where it started (-1: not skipping). */
    private long skippingFrom = -1;
    private boolean waitingLogged;
    private boolean switchFile;
    private long generation;
    /** Where the offset file said to go on from, for the first file opened (-1: from the start). */
    private String resumeKey;
    private String resumeHead;
    private long resumeAt = -1;
    /** What the offset file says now (-1: nothing written by this follower yet). */
    private String committedKey;
    private long committed = -1;

    /**
     * @param maxLineBytes longest line returned; longer ones are skipped
     * @param maxLinesPerPoll most lines one {@link #poll} returns; the rest come with the next ones
     */
    public ProxyLogFollower(Path file, Path offsetFile, int maxLineBytes, int maxLinesPerPoll) {
        if (maxLineBytes < 1 || maxLinesPerPoll < 1) {
            throw new IllegalArgumentException("maxLineBytes and maxLinesPerPoll must be positive");
        }
        this.file = file;
        this.offsetFile = offsetFile;
        this.maxLineBytes = maxLineBytes;
        this.maxLinesPerPoll = maxLinesPerPoll;
        this.buffer = ByteBuffer.allocate(Math.max(64 * 1024, maxLineBytes + 1));
        readCommitted();
    }

    public Path file() {
        return file;
    }

    /** Where the next unread line of the open file starts (0 before the file is opened). */
    public long position() {
        return position;
    }

    /**
     * The complete lines appended since the last poll (at most {@code maxLinesPerPoll});
     * empty while the file does not exist.
     */
    public List<Line> poll() throws IOException {
        List<Line> lines = new ArrayList<>();
        if (switchFile) {
            LOG.infof("%s was replaced by another file; reading the new one from the start", file);
            closeChannel();
            switchFile = false;
        }
        if (channel == null && !open()) {
            return lines;
        }
        long size = channel.size();
        if (size < position) {
            LOG.warnf("%s is shorter (%d bytes) than what was read of it (%d): it was truncated; reading it from the"
                    + " start", file, size, position);
            position = 0;
            skippingFrom = -1;
            generation++;
        }
        try {
            read(lines);
        } catch (IOException e) {
            if (lines.isEmpty()) {
                throw e;
            }
            return lines; // the position is just past them; the failure comes back with the next poll
        }
        // The old file is read to its end first; the new one from the next poll on, so one poll is one generation.
        switchFile = lines.size() < maxLinesPerPoll && replaced();
        return lines;
    }

    /**
     * Which file (and which truncation of it) the open position is in: it changes
     * whenever reading starts again from byte 0 of a file. The lines of one poll
     * are all of the generation it returns with.
     */
    public long generation() {
        return generation;
    }

    /** Reads whole lines from the position on, as far as the file goes now. */
    private void read(List<Line> lines) throws IOException {
        while (lines.size() < maxLinesPerPoll) {
            buffer.clear();
            int n = channel.read(buffer, position);
            if (n <= 0) {
                return;
            }
            byte[] bytes = buffer.array();
            int start = 0;
            int i = 0;
            for (; i < n && lines.size() < maxLinesPerPoll; i++) {
                if (bytes[i] != '\n') {
                    continue;
                }
                long lineOffset = position + start;
                if (skippingFrom >= 0) {
                    skippingFrom = -1; // the end of the long line
                } else if (i - start > maxLineBytes) {
                    skipped(lineOffset, i - start);
                } else {
                    int end = i > start && bytes[i - 1] == '\r' ? i - 1 : i;
                    String text = new String(bytes, start, end - start, StandardCharsets.UTF_8);
                    lines.add(new Line(lineOffset, position + i + 1, text));
                }
                start = i + 1;
            }
            if (i < n) {
                position += start; // enough lines for this poll; the rest is read by the next
                return;
            }
            if (skippingFrom < 0 && n - start > maxLineBytes) {
                skippingFrom = position + start;
                skipped(skippingFrom, n - start);
            }
            // While skipping, the long line's bytes read so far are dropped; its newline ends the skip.
            position += skippingFrom >= 0 ? n : start;
            if (n < buffer.capacity() || start == 0 && skippingFrom < 0) {
                return; // the end of the file as it is now; a last line without its newline waits for it
            }
        }
    }

    private void skipped(long offset, long seen) {
        LOG.warnf("%s: the line at byte %d is longer than %d bytes (%d so far) and is skipped", file, offset,
                maxLineBytes, seen);
    }

    /** Opens the file; false when it does not exist yet. Starts at the committed offset when it is the same file. */
    private boolean open() throws IOException {
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            if (!waitingLogged) {
                LOG.infof("%s does not exist yet; waiting for it", file);
                waitingLogged = true;
            }
            return false;
        }
        try {
            key = keyOf(file);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        waitingLogged = false;
        generation++;
        channel = ch;
        skippingFrom = -1;
        long size = ch.size();
        position = 0;
        if (resumeAt > 0 && Objects.equals(resumeKey, key) && Objects.equals(resumeHead, head(resumeAt))) {
            if (resumeAt <= size) {
                position = resumeAt;
                LOG.infof("following %s from byte %d", file, position);
            } else {
                LOG.warnf("%s is shorter (%d bytes) than the offset read up to (%d): it was truncated; reading it from"
                        + " the start", file, size, resumeAt);
            }
        } else if (resumeAt > 0) {
            LOG.infof("%s is not the file read up to byte %d before (replaced, or truncated and written again); reading"
                    + " it from the start", file,
                    resumeAt);
        }
        resumeAt = -1; // applies to the first file opened only
        return true;
    }

    /** Whether the name now leads to another file than the open one. */
    private boolean replaced() {
        if (key == null) {
            return false;
        }
        try {
            return !key.equals(keyOf(file));
        } catch (NoSuchFileException e) {
            return false; // moved away and not yet recreated: the open one is still the newest
        } catch (IOException e) {
            LOG.debugf("cannot read the attributes of %s: %s", file, e.getMessage());
            return false;
        }
    }

    /**
     * A digest of the open file's first bytes, up to {@code upTo} and at most
     * {@link #HEAD_BYTES}: lines already read, which an appended file never changes.
     */
    private String head(long upTo) throws IOException {
        ByteBuffer head = ByteBuffer.allocate((int) Math.min(Math.max(upTo, 0), HEAD_BYTES));
        while (head.hasRemaining() && channel.read(head, head.position()) > 0) {
            // until the buffer is full or the file ends
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(
                    Arrays.copyOf(head.array(), head.position())));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static String keyOf(Path file) throws IOException {
        Object k = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        return k == null ? null : k.toString();
    }

    /**
     * Notes that everything before {@code offset} of the open file is handled, in
     * the offset file (replaced atomically). Nothing is written when it says so already.
     */
    public void commit(long offset) {
        if (channel == null || offset == committed && Objects.equals(key, committedKey)) {
            return;
        }
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("file", file.toString());
        state.put("fileKey", key);
        state.put("offset", offset);
        try {
            state.put("head", head(offset));
            Files.createDirectories(offsetFile.toAbsolutePath().getParent());
            Path tmp = offsetFile.resolveSibling(offsetFile.getFileName() + ".tmp");
            Files.writeString(tmp, EventJson.write(state) + "\n", StandardCharsets.UTF_8);
            try {
                Files.move(tmp, offsetFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, offsetFile, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + offsetFile, e);
        }
        committed = offset;
        committedKey = key;
    }

    private void readCommitted() {
        if (!Files.exists(offsetFile)) {
            return;
        }
        try {
            JsonNode state = EventJson.mapper().readTree(Files.readString(offsetFile, StandardCharsets.UTF_8));
            if (state != null && file.toString().equals(state.path("file").asText())
                    && state.path("offset").canConvertToLong()) {
                resumeAt = state.path("offset").asLong();
                resumeKey = state.path("fileKey").isTextual() ? state.path("fileKey").asText() : null;
                resumeHead = state.path("head").isTextual() ? state.path("head").asText() : null;
            } else {
                LOG.infof("%s is about another file than %s; reading it from the start", offsetFile, file);
            }
        } catch (IOException e) {
            LOG.warnf("%s cannot be read (%s); reading %s from the start", offsetFile, e.getMessage(), file);
        }
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debugf("closing %s: %s", file, e.getMessage());
            }
            channel = null;
        }
    }

    @Override
    public void close() {
        closeChannel();
    }
}
