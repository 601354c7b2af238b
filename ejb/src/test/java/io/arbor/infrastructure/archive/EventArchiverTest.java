package io.arbor.infrastructure.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** How a restore gives a partition the parent's indexes before ATTACH. */
class EventArchiverTest {
    @Test
    void aPartitionedIndexBecomesTheSameIndexOnTheTableNamedAfterBoth() {
        assertEquals(
                "CREATE INDEX events_p000003_events_stream_version ON events_p000003 USING btree"
                        + " (tenant, stream_id, version)",
                EventArchiver.indexOn(
                        "CREATE INDEX events_stream_version ON ONLY public.events USING btree"
                                + " (tenant, stream_id, version)",
                        "events_p000003"));
        assertEquals(
                "CREATE UNIQUE INDEX p_x ON p USING btree (global_position) WHERE (tenant = 'a b')",
                EventArchiver.indexOn(
                        "CREATE UNIQUE INDEX x ON ONLY public.events USING btree"
                                + " (global_position) WHERE (tenant = 'a b')",
                        "p"));
    }

    @Test
    void anIndexDefinitionOfAnotherShapeIsRefusedRatherThanGuessed() {
        assertThrows(
                IllegalStateException.class,
                () ->
                        EventArchiver.indexOn(
                                "CREATE INDEX x ON public.events USING btree (tenant)", "p"));
    }
}
