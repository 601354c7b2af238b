package io.arbor.application;

import io.arbor.domain.Snapshot;
import io.arbor.domain.SnapshotBeyondHeadException;
import io.arbor.domain.SnapshotNotFoundException;
import io.arbor.domain.StreamId;
import io.arbor.domain.StreamNotFoundException;
import io.arbor.infrastructure.jpa.PersistenceFailures;
import io.arbor.infrastructure.jpa.SnapshotRows;
import io.arbor.infrastructure.jpa.StreamRows;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Snapshots: a writer's summary of a stream at a version, so readers can skip its prefix. */
@Stateless
public class SnapshotStore {
    @Inject StreamRows streams;
    @Inject SnapshotRows snapshots;

    /** Saves a snapshot at a version the stream has reached; replaces one at the same version. */
    public Snapshot save(StreamId stream, long version, String type, String data) {
        try {
            Snapshot snapshot =
                    new Snapshot(
                            stream,
                            version,
                            type,
                            data,
                            Instant.now().truncatedTo(ChronoUnit.MICROS));
            long head =
                    streams.info(stream)
                            .orElseThrow(() -> new StreamNotFoundException(stream))
                            .version();
            if (version > head) {
                throw new SnapshotBeyondHeadException(stream, version, head);
            }
            snapshots.save(snapshot);
            return snapshot;
        } catch (PersistenceException failure) {
            throw PersistenceFailures.translate(failure);
        }
    }

    public Snapshot latest(StreamId stream) {
        try {
            return snapshots
                    .latest(stream)
                    .orElseThrow(() -> new SnapshotNotFoundException(stream));
        } catch (PersistenceException failure) {
            throw PersistenceFailures.translate(failure);
        }
    }
}
