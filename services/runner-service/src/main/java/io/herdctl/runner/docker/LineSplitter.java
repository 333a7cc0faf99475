package io.herdctl.runner.docker;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Reassembles lines from the byte chunks Docker sends. Bytes are kept until a
 * newline so a UTF-8 character split across chunks is decoded whole. A line
 * longer than {@code maxLineBytes} is delivered in pieces rather than held in
 * memory without bound.
 */
final class LineSplitter {

    private final int maxLineBytes;
    private final Consumer<String> out;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    LineSplitter(int maxLineBytes, Consumer<String> out) {
        this.maxLineBytes = maxLineBytes;
        this.out = out;
    }

    void accept(byte[] chunk) {
        for (byte b : chunk) {
            if (b == '\n') {
                emit();
            } else {
                buffer.write(b);
                if (buffer.size() >= maxLineBytes) {
                    emit();
                }
            }
        }
    }

    /** Delivers what is left when the stream ends without a final newline. */
    void finish() {
        if (buffer.size() > 0) {
            emit();
        }
    }

    private void emit() {
        byte[] bytes = buffer.toByteArray();
        buffer.reset();
        int length = bytes.length;
        if (length > 0 && bytes[length - 1] == '\r') {
            length--;
        }
        out.accept(new String(bytes, 0, length, StandardCharsets.UTF_8));
    }
}
