package io.arbor.infrastructure.jpa;

import java.sql.SQLException;

/**
 * A plain JDBC statement that failed, unchecked; {@link PersistenceFailures#translate} reads its
 * SQLState through the cause chain and names what it means.
 */
public final class StatementFailedException extends RuntimeException {
    public StatementFailedException(SQLException cause) {
        super(cause.getMessage(), cause);
    }
}
