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

    /** A rules file that replaces the shipped detection rules. */
    java.util.Optional<Path> rulesFile();

    /** A rules file whose rules are added to the shipped (or replaced) ones. */
    java.util.Optional<Path> extraRulesFile();
}
