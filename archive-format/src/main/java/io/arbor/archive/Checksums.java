package io.arbor.archive;

import io.arbor.spi.EventHash;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 digests and their hex form, as the manifests hold them. */
final class Checksums {
    private Checksums() {}

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("Every Java platform has SHA-256", impossible);
        }
    }

    static String hex(byte[] digest) {
        return EventHash.toHex(digest);
    }
}
