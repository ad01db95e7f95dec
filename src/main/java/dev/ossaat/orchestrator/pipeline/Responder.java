package dev.ossaat.orchestrator.pipeline;

import io.vertx.core.Future;

/**
 * Writes a reply to the client (the HTTP layer implements it). Its future completes when the
 * answer is fully written, or the client has gone: for a stream, when the stream is over.
 */
public interface Responder {
  Future<Void> respond(RequestExchange exchange, Reply reply);
}
