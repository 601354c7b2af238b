package io.arbor.it;

import io.arbor.it.upcasters.CelsiusToKelvin;
import java.io.File;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Base of the server tests: Arquillian deploys the real {@code arbor.ear} (exactly what users run)
 * to the real Payara domain, and the test drives it from outside over HTTP, as a client would.
 *
 * <p>The one addition is what a user adds to extend Arbor: a jar in {@code lib/} with a Java
 * upcaster ({@link CelsiusToKelvin}, for a type no other test uses), so that the upcasting tests
 * prove the SPI as deployed.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
public abstract class ArborIT {
    protected final Arbor arbor = new Arbor();

    @Deployment(testable = false)
    public static EnterpriseArchive arbor() {
        EnterpriseArchive ear =
                ShrinkWrap.createFromZipFile(
                        EnterpriseArchive.class, new File(System.getProperty("arbor.ear")));
        return ear.addAsLibrary(
                ShrinkWrap.create(JavaArchive.class, "arbor-it-upcasters.jar")
                        .addClass(CelsiusToKelvin.class));
    }
}
