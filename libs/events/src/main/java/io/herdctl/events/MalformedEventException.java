package io.herdctl.events;

/** A record on a topic that does not match its event contract. */
public class MalformedEventException extends RuntimeException {

    public MalformedEventException(Class<?> type, String problem) {
        super("malformed " + type.getSimpleName() + ": " + problem);
    }

    public MalformedEventException(Class<?> type, String problem, Throwable cause) {
        super("malformed " + type.getSimpleName() + ": " + problem, cause);
    }
}
