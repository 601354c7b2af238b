package io.arbor.web.security;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.enterprise.inject.spi.CDIProvider;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import java.util.ServiceLoader;
import java.util.logging.Logger;

/**
 * Works around a race in the CDI 4 API that Payara's MP-JWT mechanism walks into (jakartaee/cdi
 * #994, fixed for CDI 5): {@code CDI.current()} clears its cached provider whenever the provider
 * answers null for the calling thread (Payara's does for a thread outside any application, e.g. the
 * server's own health and metrics requests) and then looks it up again without a lock, so a request
 * thread that calls it at that moment can read the cleared field and fail with a
 * NullPointerException. The mechanism calls it for every request that carries a token: the client
 * got a 500 with an empty body (found by the fault suite and by SubscriptionIT's sixteen writers,
 * docs/security.md).
 *
 * <p>This installs Payara's provider behind one that throws {@link IllegalStateException} where
 * Payara's answers null. A provider set with {@link CDI#setCDIProvider} that throws is never
 * cleared (the API rethrows instead), so the cached provider stays put. A caller outside any
 * application gets the same IllegalStateException as before ("Unable to access CDI"); a request
 * thread gets its application's CDI, always. On undeploy Payara's own provider goes back.
 */
@WebListener
public class SteadyCdiProvider implements ServletContextListener, CDIProvider {
    private static final Logger LOG = Logger.getLogger(SteadyCdiProvider.class.getName());

    private CDIProvider server;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        server = serverProvider();
        if (server == null) {
            LOG.warning("No CDI provider found to steady; CDI.current() keeps its race");
            return;
        }
        CDI.setCDIProvider(this);
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        if (server != null) {
            CDI.setCDIProvider(server);
        }
    }

    @Override
    public CDI<Object> getCDI() {
        CDI<Object> cdi = server.getCDI();
        if (cdi == null) {
            throw new IllegalStateException("No CDI container for this thread");
        }
        return cdi;
    }

    /** The server's own provider: the one the API would discover, never this class. */
    private static CDIProvider serverProvider() {
        for (CDIProvider provider :
                ServiceLoader.load(CDIProvider.class, CDI.class.getClassLoader())) {
            if (!(provider instanceof SteadyCdiProvider)) {
                return provider;
            }
        }
        return null;
    }
}
