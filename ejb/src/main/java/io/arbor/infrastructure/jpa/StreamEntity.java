package io.arbor.infrastructure.jpa;

import io.arbor.domain.StreamId;
import io.arbor.domain.StreamInfo;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.io.Serializable;
import java.sql.Timestamp;
import java.util.Objects;

/**
 * The stream row: the concurrency anchor of every append. Appends advance it with one SQL statement
 * ({@link StreamRows#advance}), which also bumps the {@link Version} column, so any JPA-side write
 * of a row read earlier would still collide with them.
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

    @Version
    @Column(name = "lock_version", nullable = false)
    private long lockVersion;

    @Column(name = "created_at", nullable = false)
    private Timestamp createdAt;

    @Column(name = "updated_at", nullable = false)
    private Timestamp updatedAt;

    protected StreamEntity() {}

    long version() {
        return version;
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
