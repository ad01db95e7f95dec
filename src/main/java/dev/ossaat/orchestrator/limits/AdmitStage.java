package dev.ossaat.orchestrator.limits;

import dev.ossaat.orchestrator.pipeline.Reply;
import dev.ossaat.orchestrator.pipeline.RequestExchange;
import dev.ossaat.orchestrator.pipeline.Stage;
import io.vertx.core.Future;

/**
 * Where a caller's limits are checked before any provider is called: rate, token and budget limits,
 * one stage for every route. There are no caller limits yet (they come with API keys), so every
 * request is admitted; the stage holds the place so that no route can bypass it later.
 */
public final class AdmitStage implements Stage {
  @Override
  public String name() {
    return "admit";
  }

  @Override
  public Future<Reply> handle(RequestExchange exchange, Chain next) {
    return next.proceed();
  }
}
