package io.arbor.application.scavenging;

import jakarta.ejb.ApplicationException;

/**
 * A scavenge batch gave up and rolled back, having removed nothing and counted nothing: another
 * instance took the job over, or a rule of the stream changed while the batch worked on it.
 */
@ApplicationException(rollback = true)
public class BatchAbandonedException extends RuntimeException {
    /** Why the batch gave up. */
    public enum Reason {
        /** Another instance claimed the job (this one's heartbeat had gone stale): stop. */
        JOB_TAKEN_OVER,
        /** Events the batch found hidden were visible again when it removed them: look again. */
        RULES_CHANGED
    }

    private final Reason reason;

    public BatchAbandonedException(Reason reason) {
        super(reason.name());
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
