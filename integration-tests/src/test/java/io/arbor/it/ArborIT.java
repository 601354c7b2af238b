package io.arbor.it;

import java.io.File;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Base of the server tests: Arquillian deploys the real {@code arbor.ear} (exactly what users run)
 * to the real Payara domain, and the test drives it from outside over HTTP, as a client would.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
public abstract class ArborIT {
    protected final Arbor arbor = new Arbor();

    @Deployment(testable = false)
    public static EnterpriseArchive arbor() {
        return ShrinkWrap.createFromZipFile(
                EnterpriseArchive.class, new File(System.getProperty("arbor.ear")));
    }
}
