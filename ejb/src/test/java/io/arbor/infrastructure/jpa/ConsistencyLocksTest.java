package io.arbor.infrastructure.jpa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.arbor.domain.Tenant;
import org.junit.jupiter.api.Test;

class ConsistencyLocksTest {
    @Test
    void aKeyDependsOnTheTenantAndTheTextAndIsStable() {
        Tenant a = new Tenant("tenant-a");
        Tenant b = new Tenant("tenant-b");
        assertEquals(ConsistencyLocks.key(a, "tag:x"), ConsistencyLocks.key(a, "tag:x"));
        assertNotEquals(ConsistencyLocks.key(a, "tag:x"), ConsistencyLocks.key(b, "tag:x"));
        assertNotEquals(ConsistencyLocks.key(a, "tag:x"), ConsistencyLocks.key(a, "type:x"));
        // SHA-256("default" 0x00 "tag:course:c1"), first 8 bytes: AppendConditionIT computes the
        // same to hold a key from its own session.
        assertEquals(
                ConsistencyLocks.key(new Tenant("default"), "tag:course:c1"),
                java.nio.ByteBuffer.wrap(sha("default\0tag:course:c1")).getLong());
    }

    private static byte[] sha(String text) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
