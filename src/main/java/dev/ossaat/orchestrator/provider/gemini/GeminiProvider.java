package dev.ossaat.orchestrator.provider.gemini;

import dev.ossaat.orchestrator.codec.CodecException;
import dev.ossaat.orchestrator.codec.EgressOptions;
import dev.ossaat.orchestrator.codec.Json;
import dev.ossaat.orchestrator.codec.gemini.GeminiCodec;
import dev.ossaat.orchestrator.codec.gemini.GeminiEmbeddings;
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
import java.util.regex.Pattern;

/**
 * Google's Gemini API: {@code models/{model}:generateContent}, {@code :streamGenerateContent?alt=sse},
 * {@code :embedContent} and {@code :batchEmbedContents}, the key in {@code x-goog-api-key} (never in
 * the URL, where logs and proxies would keep it). No client speaks Gemini's format to orchestrator,
 * so every chat request is translated by the codec; embeddings requests (OpenAI's) are translated
 * here and their answers turned into OpenAI's shape, so the embeddings path needs nothing else.
 */
public final class GeminiProvider implements Provider {
  private static final GeminiCodec CODEC = GeminiCodec.INSTANCE;
  /** Model ids as Google spells them; anything else would change the URL's meaning. */
  private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?");

  private final String name;
  private final HttpUpstream http;
  private final String baseUrl;

  public GeminiProvider(Vertx vertx, ProviderConfig config, Redactor redactor) {
    this.name = config.name();
    this.http = new HttpUpstream(vertx, config, UpstreamAuth.header("x-goog-api-key", config.apiKey()), config.headers(),
        new UpstreamErrors(config.name(), WireFormat.GEMINI, redactor));
    this.baseUrl = config.baseUrl();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public WireFormat format() {
    return WireFormat.GEMINI;
  }

  @Override
  public boolean supports(Operation operation) {
    return true;
  }

  @Override
  public Future<Completion> complete(ProviderCall call) {
    Buffer body;
    String url;
    try {
      url = modelUrl(call.upstreamModel(), ":generateContent");
      body = chatBody(call);
    } catch (CodecException e) {
      return Future.failedFuture(badRequest(e));
    }
    return http.post(call, url, body, WireFormat.GEMINI, CODEC::usageOf);
  }

  @Override
  public Future<ChatStream> stream(ProviderCall call) {
    Buffer body;
    String url;
    try {
      url = modelUrl(call.upstreamModel(), ":streamGenerateContent?alt=sse");
      body = chatBody(call);
    } catch (CodecException e) {
      return Future.failedFuture(badRequest(e));
    }
    return http.stream(call, url, body, () -> new GeminiStreamDialect(name));
  }

  @Override
  public Future<Completion> embed(ProviderCall call) {
    GeminiEmbeddings.Call request;
    String url;
    try {
      request = GeminiEmbeddings.encode(call.request().body(), call.upstreamModel());
      url = modelUrl(call.upstreamModel(), request.batch() ? ":batchEmbedContents" : ":embedContent");
    } catch (CodecException e) {
      return Future.failedFuture(badRequest(e));
    }
    String model = call.request().model();
    return http.post(call, url, request.body(), WireFormat.GEMINI, b -> null).compose(c -> {
      try {
        return Future.succeededFuture(new Completion(GeminiEmbeddings.decode(c.body(), request.batch(), model), WireFormat.OPENAI, null));
      } catch (CodecException e) {
        return Future.failedFuture(ProviderException.of(name, ErrorType.SERVER_ERROR,
            name + " answered embeddings in a form orchestrator could not read: " + e.getMessage()));
      }
    });
  }

  @Override
  public Future<Void> probe(long timeoutMillis) {
    return http.probe(baseUrl + "/models?pageSize=1", timeoutMillis);
  }

  @Override
  public Future<Void> close(java.time.Duration grace) {
    return http.close(grace);
  }

  private static Buffer chatBody(ProviderCall call) {
    ClientRequest request = call.request();
    return CODEC.encodeRequest(request.neutral(), new EgressOptions(call.upstreamModel(), request.stream(),
        call.config().maxTokensDefault()));
  }

  /** {@code <base>/models/<model><method>}; a model given as {@code models/x} or {@code tunedModels/x} keeps its collection. */
  private String modelUrl(String model, String method) {
    if (!MODEL.matcher(model).matches()) {
      throw new CodecException("'" + model + "' is not a Gemini model id", "model");
    }
    String path = model.contains("/") ? model : "models/" + model;
    return baseUrl + "/" + path + method;
  }

  /** A request Gemini cannot take, refused before it is sent: the client's 400, in Google's words for the log. */
  private ProviderException badRequest(CodecException e) {
    Buffer body = Json.buffer(Json.object().set("error", Json.object().put("code", 400).put("message", e.getMessage())
        .put("status", "INVALID_ARGUMENT")));
    return new ProviderException(name, ErrorType.BAD_REQUEST, 400, e.getMessage(), body, WireFormat.GEMINI, null);
  }
}
