package io.arbor.infrastructure.jpa;

import io.arbor.domain.EventJson;
import io.arbor.domain.RecordedEvent;
import io.arbor.domain.StreamId;
import io.arbor.domain.Tenant;
import io.arbor.spi.EventHash;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

/**
 * One stored event, as reads map it ({@link EventRows#insert} writes the rows in one statement).
 * Mapped on the view {@code visible_events} (changeset 2026-12-08-01), not the table: every JPA
 * read of events returns only those no stream lifecycle rule hides (truncation, count, age,
 * delete), so a rule hides its events from every read at once. Never updated; only scavenging
 * deletes rows, and only hidden ones.
 *
 * <p>Timestamps and the uuid are held as {@link Timestamp} and {@link String}: Payara's EclipseLink
 * (4.0.1) maps neither {@link Instant} nor {@link UUID} as a basic type and would serialize them to
 * bytea. The pool's {@code stringtype=unspecified} lets PostgreSQL cast the text to uuid.
 */
@Entity
@Table(name = "visible_events")
public class EventEntity {
    @Id
    @Column(name = "global_position")
    private long globalPosition;

    @Column(name = "tenant", nullable = false)
    private String tenant;

    @Column(name = "event_id", nullable = false)
    private String eventId;

    @Column(name = "stream_id", nullable = false)
    private String streamId;

    @Column(name = "version", nullable = false)
    private long version;

    @Column(name = "category", nullable = false)
    private String category;

    @Column(name = "type", nullable = false)
    private String type;

    @Column(name = "schema_version", nullable = false)
    private int schemaVersion;

    /**
     * jsonb; bound as text, which the pool's {@code stringtype=unspecified} lets PostgreSQL cast.
     */
    @Column(name = "data", nullable = false)
    private String data;

    @Column(name = "metadata", nullable = false)
    private String metadata;

    /** jsonb: the tags as a JSON array of strings, in the writer's order. */
    @Column(name = "tags", nullable = false)
    private String tags;

    @Column(name = "recorded_at", nullable = false)
    private Timestamp recordedAt;

    /** Who appended it (the token's subject); null when security was off, or before issue 16. */
    @Column(name = "written_by")
    private String writtenBy;

    /**
     * The event's hash in its stream's chain (docs/tamper-evidence.md); null for an event stored
     * before hash chains that the migration has not chained yet.
     */
    @Column(name = "hash")
    private byte[] hash;

    protected EventEntity() {}

    RecordedEvent toRecordedEvent() {
        return new RecordedEvent(
                UUID.fromString(eventId),
                StreamId.of(streamId),
                version,
                globalPosition,
                type,
                schemaVersion,
                data,
                metadata,
                EventJson.parseStringArray(tags),
                recordedAt.toInstant(),
                writtenBy,
                hash == null ? null : EventHash.toHex(hash));
    }

    Tenant tenant() {
        return new Tenant(tenant);
    }
}
