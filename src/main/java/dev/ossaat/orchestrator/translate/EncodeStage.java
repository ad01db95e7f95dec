package dev.ossaat.orchestrator.translate;

import dev.ossaat.orchestrator.codec.ChatCodec;
import dev.ossaat.orchestrator.exchange.ApiError;
import dev.ossaat.orchestrator.exchange.ChatResponse;
import dev.ossaat.orchestrator.exchange.ContentBlock;
import dev.ossaat.orchestrator.exchange.Operation;
import dev.ossaat.orchestrator.exchange.Usage;
import dev.ossaat.orchestrator.pipeline.Reply;
import dev.ossaat.orchestrator.pipeline.RequestExchange;
import dev.ossaat.orchestrator.pipeline.Stage;
import dev.ossaat.orchestrator.provider.Completion;
import dev.ossaat.orchestrator.provider.ErrorType;
import dev.ossaat.orchestrator.usage.UsageEstimates;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * Turns the provider's answer into the client's format on its way back: untouched when the formats
 * are the same, through the two codecs otherwise; streams event by event ({@link ClientStream}). Sets
 * the usage of a whole answer, estimating it (marked) when the provider reported none.
 */
public final class EncodeStage implements Stage {
  private final UsageEstimates estimates;

  public EncodeStage(UsageEstimates estimates) {
    this.estimates = estimates;
  }

  @Override
  public String name() {
    return "encode";
  }

  @Override
  public Future<Reply> handle(RequestExchange ex, Chain next) {
    return next.proceed().map(reply -> {
      if (reply instanceof Reply.Upstream upstream) return whole(ex, upstream.completion());
      if (reply instanceof Reply.UpstreamStream s) {
        ClientStream stream = new ClientStream(ex, s.stream(), Codecs.of(s.format()), estimates);
        return new Reply.Events(stream, ex.codec().streamEnd());
      }
      return reply;
    });
  }

  private Reply whole(RequestExchange ex, Completion completion) {
    ChatCodec client = ex.codec();
    Usage usage = completion.usage();
    if (ex.request().operation() == Operation.EMBEDDINGS) {
      Usage counted = usage != null ? usage : Usage.estimate(estimates.prompt(ex.request(), ex.outcome().billedModel()), 0);
      ex.outcome().usage(counted);
      Buffer body = EmbeddingEncoding.wantsBase64(ex.request()) ? EmbeddingEncoding.toBase64(completion.body()) : completion.body();
      // OpenAI's answer always has usage and its SDKs require it: a provider that reports none (Gemini)
      // gets our estimate in the body (the metrics mark it estimated).
      if (usage == null) body = EmbeddingEncoding.withUsage(body, counted);
      return new Reply.Answer(200, body);
    }
    if (completion.format() == client.format()) {
      ex.outcome().usage(usage != null ? usage : estimate(ex, () -> Codecs.of(completion.format()).decodeResponse(completion.body())));
      return new Reply.Answer(200, completion.body());
    }
    ChatResponse response;
    Buffer body;
    try {
      response = Codecs.of(completion.format()).decodeResponse(completion.body());
      body = client.encodeResponse(response);
    } catch (RuntimeException e) {
      String provider = ex.outcome().provider();
      ex.outcome().failed(provider, ex.outcome().billedModel(), ErrorType.INTERNAL, 502, usage == null ? Usage.NONE : usage,
          provider + " answered in a form orchestrator could not translate");
      return new Reply.Failure(new ApiError(502, "upstream_error", "untranslatable_answer",
          "provider " + provider + " answered in a form orchestrator could not translate: " + e.getMessage(), null));
    }
    ChatResponse decoded = response;
    ex.outcome().usage(usage != null ? usage : estimate(ex, () -> decoded));
    return new Reply.Answer(200, body);
  }

  /** Prompt and completion counted by our tokenizer, for a provider that reported no usage. */
  private Usage estimate(RequestExchange ex, java.util.function.Supplier<ChatResponse> answer) {
    String model = ex.outcome().billedModel();
    long prompt = estimates.prompt(ex.request(), model);
    long completion = 0;
    try {
      for (ContentBlock b : answer.get().content()) {
        if (b instanceof ContentBlock.Text t) completion += estimates.text(model, t.text());
        else if (b instanceof ContentBlock.ToolCall c) completion += estimates.text(model, c.argumentsJson());
        else if (b instanceof ContentBlock.Reasoning r) completion += estimates.text(model, r.text());
      }
    } catch (RuntimeException e) {
      // an answer we cannot read (embeddings, or malformed): prompt tokens only
    }
    return Usage.estimate(prompt, completion);
  }
}
