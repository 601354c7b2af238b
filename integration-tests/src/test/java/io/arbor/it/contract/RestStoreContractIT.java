package io.arbor.it.contract;

import io.arbor.it.ArborIT;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The store contract on the real server, over the REST API ({@link RestStore}): Arquillian deploys
 * the same EAR as every other integration test ({@link ArborIT#arbor}).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RestStoreContractIT extends StoreContract {
    private static final Store STORE = new RestStore();

    @Deployment(testable = false)
    public static EnterpriseArchive arbor() {
        return ArborIT.arbor();
    }

    @Override
    protected Store store() {
        return STORE;
    }
}
