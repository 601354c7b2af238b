package io.arbor.domain;

/**
 * An append condition failed: an event matching its query's item {@code item} is stored at {@code
 * position}, after the condition's {@code after}. Nothing was written.
 */
public class AppendConditionFailedException extends ArborException {
    private final int item;
    private final long position;

    public AppendConditionFailedException(int item, long position) {
        super(
                "The event at position "
                        + position
                        + " matches item "
                        + item
                        + " of the append's condition; nothing was written");
        this.item = item;
        this.position = position;
    }

    /** The index of the condition query's item that the event matches. */
    public int item() {
        return item;
    }

    /** The first matching event's global position. */
    public long position() {
        return position;
    }
}
