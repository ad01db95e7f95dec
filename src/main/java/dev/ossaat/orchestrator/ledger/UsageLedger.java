package dev.ossaat.orchestrator.ledger;

import io.vertx.core.Future;

/** Where settled requests go: {@link Ledger} (spool, then PostgreSQL), or nowhere when the ledger is off. */
public interface UsageLedger {
  /**
   * Appends a record; the future completes (on the caller's context, never failed) once the record is
   * in the spool file, or once it was counted as dropped. Called on an event loop; never blocks.
   */
  Future<Void> append(LedgerRecord record);

  UsageLedger DISABLED = record -> Future.succeededFuture();
}
