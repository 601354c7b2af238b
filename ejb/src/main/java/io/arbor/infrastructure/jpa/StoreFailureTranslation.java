package io.arbor.infrastructure.jpa;

import io.arbor.domain.Append;
import io.arbor.domain.StreamId;
import jakarta.annotation.Priority;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

/**
 * The interceptor of {@link TranslatesStoreFailures}: a runtime exception thrown by the business
 * method is replaced by what {@link PersistenceFailures#translate} makes of it, naming the stream
 * of the method's {@link StreamId} parameter, if it has one, in a lost race. It runs inside the
 * EJB's container-managed transaction, so the container sees the domain exception (an application
 * exception that rolls back: ejb-jar.xml) and the caller gets it unwrapped; a failure of the commit
 * itself comes after it (the web layer's {@code UnexpectedFailureMapper} answers an outage there).
 */
@TranslatesStoreFailures
@Interceptor
@Priority(Interceptor.Priority.APPLICATION)
public class StoreFailureTranslation {

    @AroundInvoke
    public Object translate(InvocationContext call) throws Exception {
        try {
            return call.proceed();
        } catch (RuntimeException failure) {
            throw PersistenceFailures.translate(streamOf(call.getParameters()), failure);
        }
    }

    /**
     * The stream a call is about: its first {@link StreamId} argument, or the first stream of its
     * {@link Append}; null when it has none.
     */
    static StreamId streamOf(Object[] arguments) {
        if (arguments != null) {
            for (Object argument : arguments) {
                if (argument instanceof StreamId stream) {
                    return stream;
                }
                if (argument instanceof Append append) {
                    return append.firstStream();
                }
            }
        }
        return null;
    }
}
