package dev.ossaat.orchestrator.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.codec.EgressOptions;
import dev.ossaat.orchestrator.codec.Json;
import dev.ossaat.orchestrator.codec.openai.OpenAiCodec;
import dev.ossaat.orchestrator.codec.responses.ResponseIds;
import dev.ossaat.orchestrator.codec.responses.ResponsesCodec;
import dev.ossaat.orchestrator.config.ProviderConfig;
import dev.ossaat.orchestrator.exchange.ClientRequest;
import dev.ossaat.orchestrator.exchange.Operation;
import dev.ossaat.orchestrator.exchange.WireFormat;
import dev.ossaat.orchestrator.provider.ChatStream;
import dev.ossaat.orchestrator.provider.Completion;
import dev.ossaat.orchestrator.provider.HttpUpstream;
import dev.ossaat.orchestrator.provider.Provider;
import dev.ossaat.orchestrator.provider.ProviderCall;
import dev.ossaat.orchestrator.provider.UpstreamErrors;
import dev.ossaat.orchestrator.provider.auth.UpstreamAuth;
import dev.ossaat.orchestrator.secrets.Redactor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

/**
 * OpenAI's wire format, which OpenAI, Mistral, OpenRouter, vLLM and Ollama's {@code /v1} endpoint
 * all speak. An OpenAI client's request goes out as it came in (the model name swapped when needed,
 * usage asked for on streams); another format's is translated by the codec. Answers come back untouched.
 * Mistral's and OpenRouter's differences ({@link OpenAiFlavor}) are handled here: Mistral's requests
 * are adapted ({@link MistralRequests}), OpenRouter's statuses and its errors in a 200 classified
 * ({@link FlavorErrors}); the stream dialect already reads both services' streams.
 */
public final class OpenAiCompatibleProvider implements Provider {
  private static final OpenAiCodec CODEC = OpenAiCodec.INSTANCE;
  private static final Buffer USAGE_OPTION = Buffer.buffer(",\"stream_options\":{\"include_usage\":true}");

  private final String name;
  private final OpenAiFlavor flavor;
  private final FlavorErrors flavorErrors;
  private final Redactor redactor;
  private final HttpUpstream http;
  private final String chatUrl;
  private final String embeddingsUrl;
  private final String modelsUrl;
  private final String responsesUrl;

  public OpenAiCompatibleProvider(Vertx vertx, ProviderConfig config, Redactor redactor) {
    this.name = config.name();
    this.flavor = OpenAiFlavor.of(config.name(), config.baseUrl());
    this.flavorErrors = new FlavorErrors(flavor);
    this.redactor = redactor;
    this.http = new HttpUpstream(vertx, config, UpstreamAuth.bearer(config.apiKey()), config.headers(),
        new UpstreamErrors(config.name(), WireFormat.OPENAI, redactor, flavor == OpenAiFlavor.OPENAI ? null : flavorErrors));
    this.chatUrl = config.baseUrl() + "/chat/completions";
    this.embeddingsUrl = config.baseUrl() + "/embeddings";
    this.modelsUrl = config.baseUrl() + "/models";
    this.responsesUrl = config.baseUrl() + "/responses";
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public WireFormat format() {
    return WireFormat.OPENAI;
  }

  @Override
  public boolean supports(Operation operation) {
    return true;
  }

  @Override
  public WireFormat answerFormat(ClientRequest request, ProviderConfig config) {
    return respondsNatively(request, config) ? WireFormat.RESPONSES : WireFormat.OPENAI;
  }

  /** A Responses client, and a provider configured with {@code responsesApi: true}: pass-through to {@code /responses}. */
  private static boolean respondsNatively(ClientRequest request, ProviderConfig config) {
    return request.format() == WireFormat.RESPONSES && config.responsesApi();
  }

  @Override
  public Future<Completion> complete(ProviderCall call) {
    if (respondsNatively(call.request(), call.config())) {
      return http.post(call, responsesUrl, responsesBody(call), WireFormat.RESPONSES, ResponsesCodec.INSTANCE::usageOf);
    }
    Future<Completion> answer = http.post(call, chatUrl, chatBody(call, false), WireFormat.OPENAI, CODEC::usageOf);
    return flavor == OpenAiFlavor.OPENROUTER ? answer.compose(c -> flavorErrors.failureIn(c, name, redactor)) : answer;
  }

  @Override
  public Future<Completion> embed(ProviderCall call) {
    return http.post(call, embeddingsUrl, body(call, false), WireFormat.OPENAI, CODEC::usageOf);
  }

  @Override
  public Future<ChatStream> stream(ProviderCall call) {
    if (respondsNatively(call.request(), call.config())) {
      return http.stream(call, responsesUrl, responsesBody(call), () -> new ResponsesStreamDialect(name));
    }
    boolean clientWantsUsage = call.request().format() != WireFormat.OPENAI || call.request().includeUsage();
    return http.stream(call, chatUrl, chatBody(call, true), () -> new OpenAiStreamDialect(name, clientWantsUsage));
  }

  @Override
  public Future<Void> probe(long timeoutMillis) {
    return http.probe(modelsUrl, timeoutMillis);
  }

  @Override
  public Future<Void> close(java.time.Duration grace) {
    return http.close(grace);
  }

  /** A Responses body as the client sent it (after the store's expansion), the model swapped only when routing substituted one. */
  private static Buffer responsesBody(ProviderCall call) {
    ClientRequest request = call.request();
    boolean swapModel = !call.upstreamModel().equals(request.model());
    // Reasoning items orchestrator wrote for another provider (rs_orc_...) carry that provider's
    // signature, which this one cannot verify: they are left out, as Anthropic is never sent
    // unsigned reasoning. Looked for in the bytes first, so the common request is sent untouched.
    boolean foreignReasoning = request.raw().toString(java.nio.charset.StandardCharsets.UTF_8).contains("\"rs_orc_");
    if (!swapModel && !foreignReasoning) return request.raw();
    ObjectNode copy = request.body().deepCopy();
    if (swapModel) copy.put("model", call.upstreamModel());
    if (foreignReasoning && copy.get("input") instanceof com.fasterxml.jackson.databind.node.ArrayNode input) {
      for (int i = input.size() - 1; i >= 0; i--) {
        JsonNode item = input.get(i);
        if (item.path("type").asText("").equals("reasoning") && ResponseIds.ourReasoning(item.path("id").asText(null))) input.remove(i);
      }
    }
    return Json.buffer(copy);
  }

  /** The upstream body: the client's bytes unchanged unless the model or stream options must change. */
  private static Buffer body(ProviderCall call, boolean stream) {
    return body(call, call.upstreamModel(), stream);
  }

  /**
   * The upstream body of an OpenAI-format provider: the client's bytes unchanged unless the model or
   * stream options must change (also Azure's, whose v1 API names the deployment as the model).
   *
   * @param model the model name the body must carry
   */
  public static Buffer body(ProviderCall call, String model, boolean stream) {
    ClientRequest request = call.request();
    if (request.format() != WireFormat.OPENAI) {
      return CODEC.encodeRequest(request.neutral(), new EgressOptions(model, stream, call.config().maxTokensDefault()));
    }
    boolean swapModel = !model.equals(request.model());
    boolean askUsage = stream && !request.includeUsage();
    if (!swapModel && !askUsage) return request.raw();
    if (!swapModel && !request.body().has("stream_options")) return withUsageOption(request.raw());
    ObjectNode copy = request.body().deepCopy();
    if (swapModel) copy.put("model", model);
    if (askUsage) {
      // Always ask for usage so the stream can be billed; the reader drops the usage chunk again if
      // the client did not ask for it.
      JsonNode options = copy.path("stream_options");
      ObjectNode streamOptions = options.isObject() ? (ObjectNode) options : copy.putObject("stream_options");
      streamOptions.put("include_usage", true);
    }
    return Json.buffer(copy);
  }

  /** Which OpenAI-compatible service this is. */
  public OpenAiFlavor flavor() {
    return flavor;
  }

  /** A chat request's upstream body: Mistral's own, or OpenAI's. */
  private Buffer chatBody(ProviderCall call, boolean stream) {
    return flavor == OpenAiFlavor.MISTRAL ? mistralBody(call, stream) : body(call, stream);
  }

  /** Mistral's chat body: never {@code stream_options} (it reports stream usage unasked), its field names. */
  private static Buffer mistralBody(ProviderCall call, boolean stream) {
    ClientRequest request = call.request();
    String model = call.upstreamModel();
    if (request.format() != WireFormat.OPENAI) {
      Buffer encoded = CODEC.encodeRequest(request.neutral(), new EgressOptions(model, stream, call.config().maxTokensDefault()));
      ObjectNode body = Json.parseObject(encoded);
      return MistralRequests.adapt(body) ? Json.buffer(body) : encoded;
    }
    boolean swapModel = !model.equals(request.model());
    if (!swapModel && !MistralRequests.needsAdapting(request.body())) return request.raw();
    ObjectNode copy = request.body().deepCopy();
    if (swapModel) copy.put("model", model);
    MistralRequests.adapt(copy);
    return Json.buffer(copy);
  }

  /**
   * The client's bytes with {@code "stream_options":{"include_usage":true}} added before the closing
   * brace: the common streaming case, spliced instead of re-serialising the whole request.
   */
  private static Buffer withUsageOption(Buffer raw) {
    int end = raw.length() - 1;
    while (end >= 0 && raw.getByte(end) != '}') end--;
    if (end < 0) throw new IllegalStateException("a parsed JSON object ends with '}'");
    return Buffer.buffer(raw.length() + USAGE_OPTION.length())
        .appendBuffer(raw, 0, end).appendBuffer(USAGE_OPTION).appendBuffer(raw, end, raw.length() - end);
  }
}
