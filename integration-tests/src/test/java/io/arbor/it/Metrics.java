package io.arbor.it;

/** Reads one series from Arbor's Prometheus text at /metrics. */
public final class Metrics {
    private Metrics() {}

    /** The value of the first series that starts with {@code nameAndLabels}, 0 when absent. */
    public static double value(Arbor arbor, String name, String label) {
        for (String line : arbor.get(Arbor.HOST + "/metrics").body().split("\n")) {
            if (line.startsWith(name + "{") && (label == null || line.contains(label))) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }
}
