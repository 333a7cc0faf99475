package io.herdctl.events;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Event ids: random for facts that happen once, derived for facts that may be re-emitted. */
public final class EventIds {

    private EventIds() {
    }

    public static String random() {
        return UUID.randomUUID().toString();
    }

    /** The same parts always give the same id, so a consumer can drop a re-emitted duplicate. */
    public static String derived(String... parts) {
        return UUID.nameUUIDFromBytes(String.join("\u001f", parts).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
