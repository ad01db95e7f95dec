package dev.ossaat.orchestrator.pipeline;

import io.vertx.core.Future;

/**
 * One concern of a request's path. A stage does its part, then either answers itself (a refusal, a
 * cache hit) or hands the request on with {@link Chain#proceed()} and may look at, or replace, the
 * reply on its way back. Stages run on the request's event loop and never block.
 */
public interface Stage {
  /** A short name for logs and the architecture page. */
  String name();

  Future<Reply> handle(RequestExchange exchange, Chain next);

  /**
   * Runs once after the reply has been sent (or the client has gone), whatever happened, for every
   * stage whose {@link #handle} ran: in reverse order, like a stack unwinding. Must not throw; a
   * failure here is logged and the other after-steps still run.
   */
  default void after(RequestExchange exchange) {}

  /** The rest of the pipeline, from the next stage on. */
  interface Chain {
    Future<Reply> proceed();
  }
}
