package io.arbor.application;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.function.Consumer;

/**
 * Work that waits for the caller's JTA transaction to end: a registry change's generation reported
 * to the data grid ({@link StreamHeads#changeRegistry}), a consumer group's counts (only what
 * committed is counted). It runs as an interposed synchronization, after the transaction's
 * resources completed, on the thread that ended it; it must not throw.
 */
@ApplicationScoped
public class TransactionEnd {
    /** How the transaction ended, as far as the transaction manager knows. */
    public enum Outcome {
        COMMITTED,
        ROLLED_BACK,
        /** Neither is known (a heuristic outcome, a lost resource): it may have committed. */
        UNKNOWN;

        static Outcome of(int status) {
            return switch (status) {
                case Status.STATUS_COMMITTED -> COMMITTED;
                case Status.STATUS_ROLLEDBACK -> ROLLED_BACK;
                default -> UNKNOWN;
            };
        }
    }

    @Resource TransactionSynchronizationRegistry transactions;

    /**
     * Runs {@code action} with the outcome once the current transaction has ended; throws {@link
     * IllegalStateException} when no transaction is active.
     */
    public void afterCompletion(Consumer<Outcome> action) {
        transactions.registerInterposedSynchronization(
                new Synchronization() {
                    @Override
                    public void beforeCompletion() {}

                    @Override
                    public void afterCompletion(int status) {
                        action.accept(Outcome.of(status));
                    }
                });
    }

    /** Runs {@code action} once the current transaction has committed, and never otherwise. */
    public void afterCommit(Runnable action) {
        afterCompletion(
                outcome -> {
                    if (outcome == Outcome.COMMITTED) {
                        action.run();
                    }
                });
    }
}
