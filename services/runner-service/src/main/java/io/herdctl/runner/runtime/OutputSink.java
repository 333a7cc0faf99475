package io.herdctl.runner.runtime;

import io.herdctl.events.OutputStream;

/** Receives a job's output one line at a time, in the order it was written per stream. */
@FunctionalInterface
public interface OutputSink {

    /**
     * @param continues true when the line was longer than {@link LineSplitter#MAX_LINE_BYTES} and this is
     *                  one piece of it: the next call for the same stream carries on where this one stops
     */
    void line(OutputStream stream, String line, boolean continues);
}
