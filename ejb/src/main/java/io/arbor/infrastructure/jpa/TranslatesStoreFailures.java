package io.arbor.infrastructure.jpa;

import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.interceptor.InterceptorBinding;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * The failures of this bean's business methods leave it as domain exceptions: a database error is
 * translated by {@link StoreFailureTranslation} (and {@link PersistenceFailures}) on its way out,
 * in one place for every service, instead of a try/catch in each method. On the stateless services
 * of {@code io.arbor.application} that reach the database.
 *
 * <p>Two failures happen outside any business method, so they reach {@link PersistenceFailures}
 * without the interceptor: a transaction the container could not enlist or complete around a call
 * ({@code EventStore}'s own transactions, {@code GroupFetches}), and, as the last backstop, an
 * unreachable database that surfaced in the web tier ({@code UnexpectedFailureMapper}). All three
 * use the same translation.
 */
@InterceptorBinding
@Retention(RUNTIME)
@Target({TYPE, METHOD})
public @interface TranslatesStoreFailures {}
