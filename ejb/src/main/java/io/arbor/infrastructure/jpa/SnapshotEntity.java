package io.arbor.infrastructure.jpa;

import io.arbor.domain.Snapshot;
import io.arbor.domain.StreamId;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.sql.Timestamp;

/** A snapshot row; written by an upsert in {@link SnapshotRows}, read through JPA. */
@Entity
@Table(name = "snapshots")
@IdClass(SnapshotEntity.Key.class)
public class SnapshotEntity {
    @Id
    @Column(name = "tenant")
    private String tenant;

    @Id
    @Column(name = "stream_id")
    private String streamId;

    @Id
    @Column(name = "version")
    private long version;

    @Column(name = "type", nullable = false)
    private String type;

    @Column(name = "data", nullable = false)
    private String data;

    @Column(name = "created_at", nullable = false)
    private Timestamp createdAt;

    protected SnapshotEntity() {}

    Snapshot toSnapshot() {
        return new Snapshot(StreamId.of(streamId), version, type, data, createdAt.toInstant());
    }

    /** The composite primary key (tenant, stream, version). */
    public static class Key implements Serializable {
        private String tenant;
        private String streamId;
        private long version;

        public Key() {}

        Key(String tenant, String streamId, long version) {
            this.tenant = tenant;
            this.streamId = streamId;
            this.version = version;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key
                    && version == key.version
                    && java.util.Objects.equals(tenant, key.tenant)
                    && java.util.Objects.equals(streamId, key.streamId);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(tenant, streamId, version);
        }
    }
}
