package io.arbor.infrastructure.jpa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbor.application.EventReader;
import io.arbor.application.SchemaRegistry;
import io.arbor.application.SnapshotStore;
import io.arbor.application.StreamAppender;
import io.arbor.application.groups.ConsumerGroups;
import io.arbor.domain.ConcurrentAppendException;
import io.arbor.domain.StoreUnavailableException;
import io.arbor.domain.StreamId;
import io.arbor.domain.StreamNotFoundException;
import io.arbor.domain.Tenant;
import jakarta.interceptor.InvocationContext;
import jakarta.persistence.PersistenceException;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.Callable;
import org.eclipse.persistence.exceptions.DatabaseException;
import org.junit.jupiter.api.Test;

class StoreFailureTranslationTest {
    private static final StreamId STREAM = StreamId.of("account-7");
    private final StoreFailureTranslation translation = new StoreFailureTranslation();

    @Test
    void aLostRaceIsTranslatedForTheStreamOfTheCall() {
        Exception thrown =
                assertThrows(
                        ConcurrentAppendException.class,
                        () ->
                                translation.translate(
                                        call(
                                                new Object[] {
                                                    new Tenant("t1"), "writer", STREAM, List.of()
                                                },
                                                () -> {
                                                    throw new PersistenceException(
                                                            new SQLException(
                                                                    "ERROR: duplicate key value"
                                                                            + " violates unique"
                                                                            + " constraint"
                                                                            + " \"streams_pkey\"",
                                                                    "23505"));
                                                })));
        assertTrue(thrown.getMessage().contains(STREAM.value()), thrown::getMessage);
    }

    @Test
    void eclipseLinksUnwrappedDatabaseExceptionOfAnOutageIsUnavailable() {
        // What EclipseLink throws, not wrapped in a PersistenceException, when it gets no
        // connection for a read outside a transaction (SchemaRegistry's own guard missed it).
        DatabaseException outage =
                DatabaseException.sqlException(new SQLException("refused", "08001"));
        assertThrows(
                StoreUnavailableException.class,
                () ->
                        translation.translate(
                                call(
                                        new Object[] {new Tenant("t1")},
                                        () -> {
                                            throw outage;
                                        })));
    }

    @Test
    void domainExceptionsAndResultsPassUnchanged() throws Exception {
        StreamNotFoundException missing = new StreamNotFoundException(STREAM);
        assertSame(
                missing,
                assertThrows(
                        StreamNotFoundException.class,
                        () ->
                                translation.translate(
                                        call(
                                                new Object[] {STREAM},
                                                () -> {
                                                    throw missing;
                                                }))));
        assertEquals("read", translation.translate(call(new Object[] {STREAM}, () -> "read")));
    }

    @Test
    void everyServiceThatReachesTheDatabaseIsBound() {
        for (Class<?> service :
                List.of(
                        StreamAppender.class,
                        EventReader.class,
                        SnapshotStore.class,
                        SchemaRegistry.class,
                        ConsumerGroups.class)) {
            assertTrue(
                    service.isAnnotationPresent(TranslatesStoreFailures.class), service.getName());
        }
        assertTrue(
                StoreFailureTranslation.class.isAnnotationPresent(TranslatesStoreFailures.class));
    }

    /** An invocation of a business method with {@code arguments} that runs {@code body}. */
    private static InvocationContext call(Object[] arguments, Callable<Object> body) {
        return (InvocationContext)
                Proxy.newProxyInstance(
                        InvocationContext.class.getClassLoader(),
                        new Class<?>[] {InvocationContext.class},
                        (proxy, method, args) ->
                                switch (method.getName()) {
                                    case "proceed" -> body.call();
                                    case "getParameters" -> arguments;
                                    default ->
                                            throw new UnsupportedOperationException(
                                                    method.getName());
                                });
    }
}
