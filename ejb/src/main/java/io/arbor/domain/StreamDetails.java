package io.arbor.domain;

/**
 * What {@code GET /streams/{id}} tells of a stream: its head, the first version a read returns
 * ({@code version + 1} when its rules hide every event), and the hash its hash chain continues from
 * there (docs/tamper-evidence.md): the hex hash of version {@code firstVersion - 1}, 64 zeros when
 * {@code firstVersion} is 1, null when it is unknown (an event not hashed yet, or removed with no
 * anchor kept).
 */
public record StreamDetails(StreamInfo info, long firstVersion, String previousHash) {}
