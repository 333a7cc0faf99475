package io.herdctl.events;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.smallrye.reactive.messaging.kafka.Record;

/**
 * Sends an event under its key and tells when the broker has it. Every producer
 * of the project waits for these acknowledgements at the point where losing a
 * record would matter (before committing what it consumed, before a terminal
 * status), so the plumbing lives in one place.
 */
public final class KeyedSend {

    private KeyedSend() {
    }

    /** Completes when the broker acknowledged the record, exceptionally when it refused it. A null value is a tombstone. */
    public static <T> CompletableFuture<Void> send(Emitter<Record<String, T>> emitter, String key, T value) {
        CompletableFuture<Void> ack = new CompletableFuture<>();
        try {
            emitter.send(Message.of(Record.of(key, value))
                    .withAck(() -> {
                        ack.complete(null);
                        return CompletableFuture.completedFuture(null);
                    })
                    .withNack(failure -> {
                        ack.completeExceptionally(failure);
                        return CompletableFuture.completedFuture(null);
                    }));
        } catch (RuntimeException e) {
            ack.completeExceptionally(e);
        }
        return ack;
    }

    /** Waits for all acknowledgements; throws, naming {@code what}, when one failed or time ran out. */
    public static void awaitAll(Collection<CompletableFuture<Void>> acks, Duration timeout, String what) {
        try {
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing " + what, e);
        } catch (Exception e) {
            throw new IllegalStateException("the broker did not take " + what + " within " + timeout + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
        }
    }
}
