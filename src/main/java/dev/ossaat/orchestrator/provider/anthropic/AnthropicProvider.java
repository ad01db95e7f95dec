package dev.ossaat.orchestrator.provider.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.codec.EgressOptions;
import dev.ossaat.orchestrator.codec.Json;
import dev.ossaat.orchestrator.codec.anthropic.AnthropicCodec;
import dev.ossaat.orchestrator.config.ProviderConfig;
import dev.ossaat.orchestrator.exchange.ClientRequest;
import dev.ossaat.orchestrator.exchange.Operation;
import dev.ossaat.orchestrator.exchange.WireFormat;
import dev.ossaat.orchestrator.provider.ChatStream;
import dev.ossaat.orchestrator.provider.Completion;
import dev.ossaat.orchestrator.provider.ErrorType;
import dev.ossaat.orchestrator.provider.HttpUpstream;
import dev.ossaat.orchestrator.provider.Provider;
import dev.ossaat.orchestrator.provider.ProviderCall;
import dev.ossaat.orchestrator.provider.ProviderException;
import dev.ossaat.orchestrator.provider.UpstreamErrors;
import dev.ossaat.orchestrator.provider.auth.UpstreamAuth;
import dev.ossaat.orchestrator.secrets.Redactor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Anthropic's Messages API: {@code x-api-key} and {@code anthropic-version} on every request. An
 * Anthropic client's request passes through (only the model name may change), so {@code cache_control},
 * thinking blocks and their signatures arrive as sent; another format's is translated by the codec
 * (with a {@code max_tokens} default, which Anthropic requires). Anthropic has no embeddings.
 */
public final class AnthropicProvider implements Provider {
  private static final AnthropicCodec CODEC = AnthropicCodec.INSTANCE;

  private final String name;
  private final HttpUpstream http;
  private final String messagesUrl;
  private final String modelsUrl;

  public AnthropicProvider(Vertx vertx, ProviderConfig config, Redactor redactor) {
    this.name = config.name();
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("anthropic-version", config.anthropicVersion());
    headers.putAll(config.headers()); // a configured header (an anthropic-beta, another version) wins
    this.http = new HttpUpstream(vertx, config, UpstreamAuth.header("x-api-key", config.apiKey()), headers,
        new UpstreamErrors(config.name(), WireFormat.ANTHROPIC, redactor));
    this.messagesUrl = config.baseUrl() + "/messages";
    this.modelsUrl = config.baseUrl() + "/models";
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public WireFormat format() {
    return WireFormat.ANTHROPIC;
  }

  @Override
  public boolean supports(Operation operation) {
    return operation != Operation.EMBEDDINGS;
  }

  @Override
  public Future<Completion> complete(ProviderCall call) {
    return http.post(call, messagesUrl, body(call, false), WireFormat.ANTHROPIC, CODEC::usageOf);
  }

  @Override
  public Future<ChatStream> stream(ProviderCall call) {
    return http.stream(call, messagesUrl, body(call, true), () -> new AnthropicStreamDialect(name));
  }

  @Override
  public Future<Completion> embed(ProviderCall call) {
    return Future.failedFuture(ProviderException.of(name, ErrorType.INTERNAL, name + " (Anthropic) has no embeddings API"));
  }

  @Override
  public Future<Void> probe(long timeoutMillis) {
    return http.probe(modelsUrl, timeoutMillis);
  }

  @Override
  public Future<Void> close(java.time.Duration grace) {
    return http.close(grace);
  }

  private static Buffer body(ProviderCall call, boolean stream) {
    ClientRequest request = call.request();
    if (request.format() != WireFormat.ANTHROPIC) {
      return CODEC.encodeRequest(request.neutral(), new EgressOptions(call.upstreamModel(), stream, call.config().maxTokensDefault()));
    }
    if (call.upstreamModel().equals(request.model())) return request.raw();
    ObjectNode copy = request.body().deepCopy();
    copy.put("model", call.upstreamModel());
    return Json.buffer(copy);
  }
}
