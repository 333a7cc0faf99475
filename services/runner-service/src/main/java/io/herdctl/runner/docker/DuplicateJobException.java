package io.herdctl.runner.docker;

/** A container for this job already exists: another runner (or a redelivery) has it. */
public class DuplicateJobException extends RuntimeException {

    public DuplicateJobException(String containerName) {
        super("a container named " + containerName + " already exists");
    }
}
