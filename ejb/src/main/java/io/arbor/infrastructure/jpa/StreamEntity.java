package io.arbor.infrastructure.jpa;

import io.arbor.domain.StreamDeletion;
import io.arbor.domain.StreamId;
import io.arbor.domain.StreamInfo;
import io.arbor.domain.StreamLifecycle;
import io.arbor.domain.StreamMetadata;
import io.arbor.domain.Tenant;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.io.Serializable;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Objects;

/**
 * The stream row: the concurrency anchor of every append (Marten's term). An append loads it,
 * checks its version against the writer's expectation, and {@link #advance}s it; EclipseLink writes
 * the change as {@code UPDATE … WHERE lock_version = ?} ({@link Version}), so of two appends that
 * loaded the same row only the first to write it succeeds, and the other's flush fails with an
 * optimistic lock exception ({@link StreamRows#advance}). A new stream's row is persisted: two
 * first appends collide on the primary key instead.
 */
@Entity
@Table(name = "streams")
@IdClass(StreamEntity.Key.class)
public class StreamEntity {
    @Id
    @Column(name = "tenant")
    private String tenant;

    @Id
    @Column(name = "stream_id")
    private String streamId;

    @Column(name = "category", nullable = false)
    private String category;

    /** The stream's version: the number of events in it. */
    @Column(name = "version", nullable = false)
    private long version;

    /**
     * The hash of the stream's last event (io.arbor.spi.EventHash), so an append chains from the
     * row it loads anyway; null for a stream whose older events the migration has not chained yet
     * (HashChainBackfill), and for a new row before its first advance.
     */
    @Column(name = "head_hash")
    private byte[] headHash;

    @Version
    @Column(name = "lock_version", nullable = false)
    private long lockVersion;

    @Column(name = "created_at", nullable = false)
    private Timestamp createdAt;

    @Column(name = "updated_at", nullable = false)
    private Timestamp updatedAt;

    /*
     * The stream's lifecycle (changeset 2026-12-08-01, docs/lifecycle.md): its retention rules,
     * the writer's custom metadata (jsonb, bound as text: the pool's stringtype=unspecified) and
     * its deletion. The generated has_lifecycle is not mapped: PostgreSQL computes it from these.
     */
    @Column(name = "max_age_seconds")
    private Long maxAgeSeconds;

    @Column(name = "max_count")
    private Long maxCount;

    @Column(name = "truncate_before")
    private Long truncateBefore;

    @Column(name = "custom_metadata")
    private String customMetadata;

    @Column(name = "deleted")
    private String deleted;

    protected StreamEntity() {}

    /** A stream that does not exist yet: version 0, until an append {@link #advance}s it. */
    static StreamEntity open(Tenant tenant, StreamId id, Instant now) {
        StreamEntity stream = new StreamEntity();
        stream.tenant = tenant.value();
        stream.streamId = id.value();
        stream.category = id.category();
        stream.createdAt = Timestamp.from(now);
        stream.updatedAt = stream.createdAt;
        return stream;
    }

    /**
     * The stream grows by {@code eventCount} events, appended at {@code now}, the last of which has
     * the hash {@code headHash} (null while the stream is not chained yet).
     */
    void advance(int eventCount, Instant now, byte[] headHash) {
        version += eventCount;
        updatedAt = Timestamp.from(now);
        this.headHash = headHash;
    }

    long version() {
        return version;
    }

    /** How the stream was deleted; null when it is not. */
    StreamDeletion deletion() {
        return StreamDeletion.fromCode(deleted);
    }

    StreamMetadata metadata() {
        return new StreamMetadata(maxAgeSeconds, maxCount, truncateBefore, customMetadata);
    }

    StreamLifecycle lifecycle() {
        return metadata().lifecycle(deletion());
    }

    /** Replaces the stream's metadata (already checked against its head). */
    void setMetadata(StreamMetadata metadata) {
        maxAgeSeconds = metadata.maxAge();
        maxCount = metadata.maxCount();
        truncateBefore = metadata.truncateBefore();
        customMetadata = metadata.custom();
    }

    /**
     * Deletes the stream as {@code how} says, hiding every event it has: {@code truncate_before}
     * becomes the next version, so an append that un-deletes a soft-deleted stream starts its
     * visible history there (EventStoreDB's {@code $tb} on delete).
     */
    void delete(StreamDeletion how) {
        deleted = how.code();
        truncateBefore = version + 1;
    }

    /** An append to a soft-deleted stream brings it back, its earlier events still hidden. */
    void undelete() {
        deleted = null;
    }

    byte[] headHash() {
        return headHash;
    }

    StreamInfo toInfo() {
        return new StreamInfo(
                StreamId.of(streamId), version, createdAt.toInstant(), updatedAt.toInstant());
    }

    /** The composite primary key (tenant, stream). */
    public static class Key implements Serializable {
        private String tenant;
        private String streamId;

        public Key() {}

        Key(Tenant tenant, StreamId id) {
            this.tenant = tenant.value();
            this.streamId = id.value();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key
                    && Objects.equals(tenant, key.tenant)
                    && Objects.equals(streamId, key.streamId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(tenant, streamId);
        }
    }
}
