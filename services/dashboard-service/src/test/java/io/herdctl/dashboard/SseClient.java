package io.herdctl.dashboard;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A minimal Server-Sent Events reader for tests: each event (name, id, data) is queued as it arrives. */
public final class SseClient implements AutoCloseable {

    public record Event(String name, String id, String data) {
    }

    /** Queued when the server closes the stream. */
    public static final Event CLOSED = new Event("(closed)", null, null);

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final CompletableFuture<HttpResponse<Stream<String>>> response;
    private volatile int status;

    public SseClient(URI uri, String lastEventId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        response = HttpClient.newHttpClient().sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines());
        response.thenAccept(r -> {
            status = r.statusCode();
            String[] name = {"message"};
            String[] id = {null};
            StringBuilder data = new StringBuilder();
            r.body().forEach(line -> {
                if (line.isEmpty()) {
                    if (data.length() > 0) {
                        events.add(new Event(name[0], id[0], data.toString()));
                    }
                    name[0] = "message";
                    id[0] = null;
                    data.setLength(0);
                } else if (line.startsWith("event:")) {
                    name[0] = line.substring(6).strip();
                } else if (line.startsWith("id:")) {
                    id[0] = line.substring(3).strip();
                } else if (line.startsWith("data:")) {
                    data.append(data.length() > 0 ? "\n" : "").append(line.substring(5).stripLeading());
                }
            });
            events.add(CLOSED);
        }).exceptionally(e -> {
            events.add(CLOSED);
            return null;
        });
    }

    /** The next event, or null after the timeout. */
    public Event next(Duration timeout) throws InterruptedException {
        return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The next event that is not a line of the given name to skip, e.g. {@code status} updates. */
    public Event nextExcept(String skipped, Duration timeout) throws InterruptedException {
        Event e;
        do {
            e = next(timeout);
        } while (e != null && e.name().equals(skipped));
        return e;
    }

    public int status() throws Exception {
        return response.get(10, TimeUnit.SECONDS).statusCode();
    }

    @Override
    public void close() {
        response.cancel(true);
        response.thenAccept(r -> r.body().close());
    }
}
