package io.arbor.infrastructure.grid;

import com.hazelcast.core.HazelcastInstance;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/** Payara's data grid member in this server (Hazelcast, bound in JNDI by Payara). */
public final class DataGrid {
    private DataGrid() {}

    /** This server's member of the grid; throws when Payara's data grid is not available. */
    public static HazelcastInstance member() {
        try {
            return (HazelcastInstance) new InitialContext().lookup("payara/Hazelcast");
        } catch (NamingException missing) {
            throw new IllegalStateException("Payara's data grid is not available", missing);
        }
    }
}
