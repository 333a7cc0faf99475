package io.herdctl.audit.config;

import java.nio.file.Path;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where the job record is kept. */
@ConfigMapping(prefix = "herdctl.audit")
public interface AuditSettings {

    /** herdctl's state directory; job logs go to {@code <state-dir>/jobs/<jobId>.jsonl}. */
    @WithDefault(".herdctl")
    Path stateDir();
}
