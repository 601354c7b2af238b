package io.arbor.application;

import io.arbor.domain.StreamDeletedException;
import io.arbor.domain.StreamDeletion;
import io.arbor.domain.StreamId;
import io.arbor.domain.StreamMetadata;
import io.arbor.domain.StreamNotFoundException;
import io.arbor.domain.Tenant;
import io.arbor.infrastructure.jpa.SnapshotRows;
import io.arbor.infrastructure.jpa.StatementTimeout;
import io.arbor.infrastructure.jpa.StreamRows;
import io.arbor.infrastructure.jpa.StreamRows.Anchor;
import io.arbor.infrastructure.jpa.TranslatesStoreFailures;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

/**
 * Each lifecycle change of a stream in one JTA transaction of its own, committed when the call
 * returns ({@link StreamLifecycles} runs it under a lease on the stream's head). A change locks the
 * stream's row first, as a waiting append does ({@link StreamRows#lockForLifecycle}), so it and an
 * append are ordered: the append sees the change, or the change sees the append's version.
 */
@Stateless
@TranslatesStoreFailures
@TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
public class StreamLifecycleChanges {
    @Inject StreamRows streams;
    @Inject StatementTimeout statementTimeout;
    @Inject SnapshotRows snapshots;

    public StreamMetadata metadata(Tenant tenant, StreamId stream) {
        return existing(stream, streams.read(tenant, stream)).metadata();
    }

    public StreamMetadata setMetadata(Tenant tenant, StreamId stream, StreamMetadata metadata) {
        statementTimeout.applyToTransaction(tenant);
        Anchor row = existing(stream, streams.lockForLifecycle(tenant, stream));
        metadata.checkAgainstHead(stream, row.version());
        return streams.setMetadata(row, metadata);
    }

    public Void delete(Tenant tenant, StreamId stream, StreamDeletion how) {
        statementTimeout.applyToTransaction(tenant);
        Anchor row = streams.lockForLifecycle(tenant, stream);
        if (!row.exists()) {
            throw new StreamNotFoundException(stream);
        }
        if (row.deletion() == StreamDeletion.HARD) {
            throw new StreamDeletedException(stream);
        }
        if (row.deletion() != how) {
            streams.delete(row, how);
            // Its snapshots summarise the history the delete hides: an append that brings a
            // soft-deleted stream back starts after that history, and no snapshot may bring it
            // back (the rule for truncation alone would keep one at version - the new first).
            snapshots.deleteAll(tenant, stream);
        }
        return null;
    }

    /** The row of a stream that exists and is not deleted: else 404 (or 410 when hard-deleted). */
    private static Anchor existing(StreamId stream, Anchor row) {
        if (!row.exists()) {
            throw new StreamNotFoundException(stream);
        }
        row.lifecycle().checkReadable(stream);
        return row;
    }
}
