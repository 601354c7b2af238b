package io.arbor.it;

/** Reads one series from Arbor's Prometheus text at /metrics. */
public final class Metrics {
    private Metrics() {}

    /** The value of the first series that starts with {@code nameAndLabels}, 0 when absent. */
    public static double value(Arbor arbor, String name, String label) {
        return value(arbor, Arbor.HOST, name, label);
    }

    /** The same, read from the server at {@code host} ({@code http://localhost:PORT}). */
    public static double value(Arbor arbor, String host, String name, String label) {
        for (String line : arbor.get(host + "/metrics").body().split("\n")) {
            if (line.startsWith(name + "{") && (label == null || line.contains(label))) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }
}
