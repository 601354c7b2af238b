package io.arbor.infrastructure.jpa;

import io.arbor.domain.StreamId;
import io.arbor.domain.StreamInfo;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * The stream row: the concurrency anchor of every append. Its {@link Version} column makes two
 * appends that read the same head collide at flush instead of both succeeding.
 */
@Entity
@Table(name = "streams")
public class StreamEntity {
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

    StreamEntity(StreamId id, Instant now) {
        this.streamId = id.value();
        this.category = id.category();
        this.version = 0;
        this.createdAt = Timestamp.from(now);
        this.updatedAt = Timestamp.from(now);
    }

    long version() {
        return version;
    }

    void advance(int eventCount, Instant now) {
        version += eventCount;
        updatedAt = Timestamp.from(now);
    }

    StreamInfo toInfo() {
        return new StreamInfo(
                StreamId.of(streamId), version, createdAt.toInstant(), updatedAt.toInstant());
    }
}
