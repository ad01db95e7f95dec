package dev.ossaat.orchestrator.usage;

import dev.ossaat.orchestrator.codec.Json;
import dev.ossaat.orchestrator.pipeline.Reply;
import dev.ossaat.orchestrator.pipeline.RequestExchange;
import dev.ossaat.orchestrator.pipeline.Stage;
import io.vertx.core.Future;

/**
 * {@code POST /v1/messages/count_tokens}: answered by orchestrator's own tokenizer, whatever provider
 * would serve the model, so it costs no provider call and works with any provider behind it. An
 * estimate (OpenAI's encodings; Anthropic's own tokenizer is not public): close to, not exactly,
 * Anthropic's count.
 */
public final class CountTokensStage implements Stage {
  private final UsageEstimates estimates;

  public CountTokensStage(UsageEstimates estimates) {
    this.estimates = estimates;
  }

  @Override
  public String name() {
    return "count-tokens";
  }

  @Override
  public Future<Reply> handle(RequestExchange ex, Chain next) {
    long tokens = estimates.prompt(ex.request());
    ex.outcome().answeredByGateway(200, null);
    return Future.succeededFuture(new Reply.Answer(200, Json.buffer(Json.object().put("input_tokens", tokens))));
  }
}
