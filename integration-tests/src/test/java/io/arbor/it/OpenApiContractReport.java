package io.arbor.it;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Prints how many answers {@link OpenApiContract} validated when the test JVM's run ends, and
 * writes the counts where server-config/test.sh reads them (registered in {@code
 * META-INF/services}).
 */
public final class OpenApiContractReport implements LauncherSessionListener {
    @Override
    public void launcherSessionClosed(LauncherSession session) {
        OpenApiContract.report();
    }
}
