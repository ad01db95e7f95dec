package dev.ossaat.orchestrator.provider.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.codec.CodecException;
import dev.ossaat.orchestrator.codec.EgressOptions;
import dev.ossaat.orchestrator.codec.Json;
import dev.ossaat.orchestrator.codec.ollama.OllamaCodec;
import dev.ossaat.orchestrator.config.ProviderConfig;
import dev.ossaat.orchestrator.exchange.Operation;
import dev.ossaat.orchestrator.exchange.Usage;
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

/**
 * Ollama's native API: {@code POST /api/chat} (NDJSON streaming), {@code POST /api/embed}, probe
 * {@code GET /api/tags}. Every client format is translated ({@link OllamaCodec}); embeddings are
 * asked in Ollama's shape and answered in OpenAI's (the embeddings API orchestrator serves). An
 * optional {@code apiKey} goes as a bearer token (an Ollama behind an authenticating proxy).
 */
public final class OllamaProvider implements Provider {
  private static final OllamaCodec CODEC = OllamaCodec.INSTANCE;

  private final String name;
  private final HttpUpstream http;
  private final String chatUrl;
  private final String embedUrl;
  private final String tagsUrl;

  public OllamaProvider(Vertx vertx, ProviderConfig config, Redactor redactor) {
    this.name = config.name();
    this.http = new HttpUpstream(vertx, config, UpstreamAuth.bearer(config.apiKey()), config.headers(),
        new UpstreamErrors(name, WireFormat.OLLAMA, redactor));
    String base = config.baseUrl().replaceAll("/+$", "");
    this.chatUrl = base + "/api/chat";
    this.embedUrl = base + "/api/embed";
    this.tagsUrl = base + "/api/tags";
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public WireFormat format() {
    return WireFormat.OLLAMA;
  }

  @Override
  public boolean supports(Operation operation) {
    return true;
  }

  @Override
  public Future<Completion> complete(ProviderCall call) {
    Buffer body;
    try {
      body = body(call, false);
    } catch (CodecException e) {
      return Future.failedFuture(refused(e));
    }
    return http.post(call, chatUrl, body, WireFormat.OLLAMA, CODEC::usageOf);
  }

  @Override
  public Future<ChatStream> stream(ProviderCall call) {
    Buffer body;
    try {
      body = body(call, true);
    } catch (CodecException e) {
      return Future.failedFuture(refused(e));
    }
    return http.stream(call, chatUrl, body, "application/x-ndjson", NdjsonFraming::new, () -> new OllamaStreamDialect(name));
  }

  /** OpenAI's embeddings request as Ollama's {@code /api/embed}, and its answer back in OpenAI's shape. */
  @Override
  public Future<Completion> embed(ProviderCall call) {
    JsonNode input = call.request().body().get("input");
    if (input == null || !(input.isTextual() || input.isArray())) {
      return Future.failedFuture(new ProviderException(name, ErrorType.BAD_REQUEST, 400,
          name + " (Ollama) embeds text: input must be a string or a list of strings", null, null));
    }
    ObjectNode body = Json.object().put("model", call.upstreamModel());
    body.set("input", input);
    JsonNode dimensions = call.request().body().get("dimensions");
    if (dimensions != null && dimensions.isIntegralNumber()) body.set("dimensions", dimensions);
    return http.post(call, embedUrl, Json.buffer(body), WireFormat.OLLAMA, CODEC::usageOf)
        .map(c -> new Completion(openAiEmbeddings(c.body(), call.upstreamModel()), WireFormat.OPENAI, c.usage()));
  }

  static Buffer openAiEmbeddings(Buffer ollama, String model) {
    ObjectNode root = Json.parseObject(ollama);
    ObjectNode out = Json.object().put("object", "list");
    ArrayNode data = out.putArray("data");
    int i = 0;
    for (JsonNode vector : root.path("embeddings")) {
      ObjectNode item = data.addObject().put("object", "embedding").put("index", i++);
      item.set("embedding", vector);
    }
    out.put("model", root.path("model").asText(model));
    Usage u = OllamaCodec.usage(root);
    long prompt = u == null ? 0 : u.promptTokens();
    out.putObject("usage").put("prompt_tokens", prompt).put("total_tokens", prompt);
    return Json.buffer(out);
  }

  @Override
  public Future<Void> probe(long timeoutMillis) {
    return http.probe(tagsUrl, timeoutMillis);
  }

  @Override
  public Future<Void> close(java.time.Duration grace) {
    return http.close(grace);
  }

  private static Buffer body(ProviderCall call, boolean stream) {
    return CODEC.encodeRequest(call.request().neutral(),
        new EgressOptions(call.upstreamModel(), stream, call.config().maxTokensDefault()));
  }

  private ProviderException refused(CodecException e) {
    return new ProviderException(name, ErrorType.BAD_REQUEST, 400, name + " (Ollama) cannot take this request: "
        + e.getMessage(), null, null);
  }
}
