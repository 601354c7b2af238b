package io.arbor.domain.scavenging;

import java.util.Locale;

/** Where a scavenge job stands; stored and shown in lower case. */
public enum ScavengeState {
    /** Requested; no instance has claimed it yet. */
    QUEUED,
    /** An instance claimed it and works through the tenant's streams. */
    RUNNING,
    /** Every stream with lifecycle rules was walked. */
    DONE,
    /** Stopped by an error it could not retry past (the job's failure says which). */
    FAILED;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ScavengeState of(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    /** Whether the job is queued or running (a tenant has at most one such job). */
    public boolean unfinished() {
        return this == QUEUED || this == RUNNING;
    }
}
