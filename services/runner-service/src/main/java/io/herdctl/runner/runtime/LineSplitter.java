package io.herdctl.runner.runtime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reassembles lines from the byte chunks a process writes. Bytes are kept until
 * a newline so a UTF-8 character split across chunks is decoded whole. A line
 * longer than the limit is handed on in pieces, each cut on a character
 * boundary and marked as continuing, rather than held in memory without bound.
 */
public final class LineSplitter {

    /** Longest line delivered whole; longer ones arrive in pieces of at most this many bytes. */
    public static final int MAX_LINE_BYTES = 1024 * 1024;

    /** Receives one line or one piece of an overlong line. */
    @FunctionalInterface
    public interface Lines {
        void line(String text, boolean continues);
    }

    private final int maxLineBytes;
    private final Lines out;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    public LineSplitter(int maxLineBytes, Lines out) {
        if (maxLineBytes < 4) {
            throw new IllegalArgumentException("maxLineBytes must hold one UTF-8 character");
        }
        this.maxLineBytes = maxLineBytes;
        this.out = out;
    }

    public LineSplitter(Lines out) {
        this(MAX_LINE_BYTES, out);
    }

    public void accept(byte[] chunk) {
        accept(chunk, 0, chunk.length);
    }

    public void accept(byte[] chunk, int offset, int length) {
        int pos = offset;
        int end = offset + length;
        while (pos < end) {
            int newline = pos;
            while (newline < end && chunk[newline] != '\n') {
                newline++;
            }
            int room = maxLineBytes - buffer.size();
            if (newline - pos > room) {
                // The line outgrows the limit before its end: hand on a piece.
                buffer.write(chunk, pos, room);
                pos += room;
                emitPiece();
            } else if (newline < end) {
                buffer.write(chunk, pos, newline - pos);
                pos = newline + 1;
                emitLine();
            } else {
                buffer.write(chunk, pos, end - pos);
                pos = end;
            }
        }
    }

    /** Delivers what is left when the stream ends without a final newline. */
    public void finish() {
        if (buffer.size() > 0) {
            emitLine();
        }
    }

    private void emitLine() {
        byte[] bytes = buffer.toByteArray();
        buffer.reset();
        int length = bytes.length;
        if (length > 0 && bytes[length - 1] == '\r') {
            length--;
        }
        out.line(new String(bytes, 0, length, StandardCharsets.UTF_8), false);
    }

    /** Hands on the buffer up to its last whole character and keeps the bytes of a character cut in two. */
    private void emitPiece() {
        byte[] bytes = buffer.toByteArray();
        int cut = bytes.length;
        int back = 0;
        while (back < 3 && cut - back - 1 >= 0 && (bytes[cut - back - 1] & 0xC0) == 0x80) {
            back++;
        }
        if (cut - back - 1 >= 0) {
            int lead = bytes[cut - back - 1] & 0xFF;
            int width = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
            if (width > back + 1) {
                cut = cut - back - 1;
            }
        }
        buffer.reset();
        buffer.write(bytes, cut, bytes.length - cut);
        out.line(new String(bytes, 0, cut, StandardCharsets.UTF_8), true);
    }
}
