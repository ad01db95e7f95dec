package dev.ossaat.orchestrator.provider.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.config.ConnectionPoolConfig;
import dev.ossaat.orchestrator.config.ProviderConfig;
import dev.ossaat.orchestrator.provider.ApiRequest;
import dev.ossaat.orchestrator.provider.CallControl;
import dev.ossaat.orchestrator.provider.ChatStream;
import dev.ossaat.orchestrator.provider.Completion;
import dev.ossaat.orchestrator.provider.ErrorType;
import dev.ossaat.orchestrator.provider.Provider;
import dev.ossaat.orchestrator.provider.ProviderCall;
import dev.ossaat.orchestrator.provider.ProviderException;
import dev.ossaat.orchestrator.provider.UpstreamErrors;
import dev.ossaat.orchestrator.telemetry.Redactor;
import dev.ossaat.orchestrator.usage.Usage;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.Map;

/**
 * OpenAI's wire format, which OpenAI, Mistral, OpenRouter, vLLM and Ollama's {@code /v1} endpoint
 * all speak: requests go out as they came in (the model name swapped when needed), answers come back
 * untouched, and streams ask the provider for usage so every request can be billed.
 */
public final class OpenAiCompatibleProvider implements Provider {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Vertx vertx;
  private final ProviderConfig config;
  private final HttpClientAgent client;
  private final UpstreamErrors errors;
  private final String chatUrl;
  private final String embeddingsUrl;
  private final String authorization;

  public OpenAiCompatibleProvider(Vertx vertx, ProviderConfig config, Redactor redactor) {
    this.vertx = vertx;
    this.config = config;
    this.client = vertx.createHttpClient(clientOptions(config), poolOptions(config.connectionPool()));
    this.errors = new UpstreamErrors(config.name(), redactor);
    this.chatUrl = config.baseUrl() + "/chat/completions";
    this.embeddingsUrl = config.baseUrl() + "/embeddings";
    this.authorization = config.apiKey().isPresent() ? "Bearer " + config.apiKey().reveal() : null;
  }

  private static HttpClientOptions clientOptions(ProviderConfig config) {
    ConnectionPoolConfig pool = config.connectionPool();
    return new HttpClientOptions()
        .setName("orchestrator-" + config.name())
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, pool.connectionTimeout().toMillis()))
        .setKeepAlive(true)
        .setKeepAliveTimeout((int) Math.max(1, pool.idleTimeout().toSeconds()))
        .setTcpNoDelay(true)
        .setDecompressionSupported(true);
  }

  private static PoolOptions poolOptions(ConnectionPoolConfig pool) {
    // A bounded wait queue: when every connection is busy and the queue is full the attempt fails at
    // once and the request falls back, instead of queueing without limit.
    return new PoolOptions()
        .setHttp1MaxSize(pool.maxConnections())
        .setMaxWaitQueueSize(Math.max(100, pool.maxConnections() * 4));
  }

  @Override
  public String name() {
    return config.name();
  }

  @Override
  public ProviderConfig config() {
    return config;
  }

  @Override
  public Future<Completion> complete(ProviderCall call) {
    return whole(call, chatUrl, body(call, false));
  }

  @Override
  public Future<Completion> embed(ProviderCall call) {
    return whole(call, embeddingsUrl, body(call, false));
  }

  @Override
  public Future<ChatStream> stream(ProviderCall call) {
    Promise<ChatStream> promise = Promise.promise();
    CallControl control = call.control();
    long firstByte = config.timeouts().firstByte().toMillis();
    long timer = vertx.setTimer(firstByte, t -> control.cancel(errors.timeout(firstByte, "with a first byte")));
    send(call, chatUrl, body(call, true), "text/event-stream").onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (ar.failed()) {
        promise.fail(failure(control, ar.cause()));
        return;
      }
      HttpClientResponse response = ar.result();
      if (response.statusCode() / 100 != 2) {
        response.body().onComplete(body -> promise.fail(control.cancelled() ? control.reason()
            : errors.status(response.statusCode(), response.headers(), body.succeeded() ? body.result() : null)));
        return;
      }
      new OpenAiChatStream(vertx, response, control, errors, config.timeouts().streamIdle().toMillis(),
          call.request().includeUsage()).firstEvent().onComplete(promise);
    });
    return promise.future();
  }

  @Override
  public Future<Void> probe(long timeoutMillis) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(config.baseUrl() + "/models")
        .setTimeout(timeoutMillis).putHeader(HttpHeaders.ACCEPT, "application/json");
    if (authorization != null) options.putHeader(HttpHeaders.AUTHORIZATION, authorization);
    config.headers().forEach(options::putHeader);
    return client.request(options)
        .compose(HttpClientRequest::send)
        .compose(response -> response.body().compose(body -> response.statusCode() / 100 == 2
            ? Future.<Void>succeededFuture()
            : Future.failedFuture(errors.status(response.statusCode(), response.headers(), body))))
        .recover(t -> Future.failedFuture(errors.exception(t)));
  }

  @Override
  public Future<Void> close(java.time.Duration grace) {
    // Graceful: calls in flight (a stream of a provider that a reload replaced) may finish.
    return client.shutdown(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  private Future<Completion> whole(ProviderCall call, String url, Buffer body) {
    Promise<Completion> promise = Promise.promise();
    CallControl control = call.control();
    long total = config.timeouts().total().toMillis();
    long firstByte = Math.min(total, config.timeouts().firstByte().toMillis());
    long totalTimer = vertx.setTimer(total, t -> control.cancel(errors.timeout(total, "in full")));
    long firstByteTimer = vertx.setTimer(firstByte, t -> control.cancel(errors.timeout(firstByte, "with a first byte")));
    send(call, url, body, "application/json")
        .compose(response -> {
          vertx.cancelTimer(firstByteTimer);
          return response.body().map(b -> Map.entry(response, b));
        })
        .onComplete(ar -> {
          vertx.cancelTimer(totalTimer);
          vertx.cancelTimer(firstByteTimer);
          if (ar.failed()) {
            promise.fail(failure(control, ar.cause()));
            return;
          }
          HttpClientResponse response = ar.result().getKey();
          Buffer responseBody = ar.result().getValue();
          if (response.statusCode() / 100 != 2) {
            promise.fail(errors.status(response.statusCode(), response.headers(), responseBody));
            return;
          }
          try {
            JsonNode json = JSON.readTree(responseBody.getBytes());
            promise.complete(new Completion(responseBody, Usage.fromOpenAi(json.get("usage"))));
          } catch (java.io.IOException e) {
            promise.fail(ProviderException.of(name(), ErrorType.SERVER_ERROR, name() + " answered with a body that is not JSON"));
          }
        });
    return promise.future();
  }

  private Future<HttpClientResponse> send(ProviderCall call, String url, Buffer body, String accept) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.ACCEPT, accept);
    if (authorization != null) options.putHeader(HttpHeaders.AUTHORIZATION, authorization);
    config.headers().forEach(options::putHeader);
    CallControl control = call.control();
    Future<HttpClientRequest> requested;
    try {
      requested = client.request(options);
    } catch (IllegalStateException e) {
      // A closed client throws rather than failing the future; the caller gets a normal failure.
      return Future.failedFuture(ProviderException.of(name(), ErrorType.NETWORK, name() + " connection pool is closed"));
    }
    return requested.compose(request -> {
      // Failures reach the caller through the futures; without this, a reset we cause ourselves
      // (timeout, client gone) is also logged by Vert.x as an unhandled error.
      request.exceptionHandler(t -> { });
      control.onCancel(() -> request.reset());
      if (control.cancelled()) return Future.failedFuture(control.reason());
      return request.send(body);
    });
  }

  /** The upstream body: the client's bytes unchanged unless the model or stream options must change. */
  private static Buffer body(ProviderCall call, boolean stream) {
    ApiRequest request = call.request();
    boolean swapModel = !call.upstreamModel().equals(request.model());
    boolean askUsage = stream && !request.includeUsage();
    if (!swapModel && !askUsage) return request.raw();
    if (!swapModel && !request.body().has("stream_options")) return withUsageOption(request.raw());
    ObjectNode copy = request.body().deepCopy();
    if (swapModel) copy.put("model", call.upstreamModel());
    if (askUsage) {
      // Always ask for usage so the stream can be billed; the relay drops the usage chunk again if
      // the client did not ask for it.
      JsonNode options = copy.path("stream_options");
      ObjectNode streamOptions = options.isObject() ? (ObjectNode) options : copy.putObject("stream_options");
      streamOptions.put("include_usage", true);
    }
    try {
      return Buffer.buffer(JSON.writeValueAsBytes(copy));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a parsed request must serialise", e);
    }
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

  private static final Buffer USAGE_OPTION = Buffer.buffer(",\"stream_options\":{\"include_usage\":true}");

  private ProviderException failure(CallControl control, Throwable cause) {
    return control.cancelled() ? control.reason() : errors.exception(cause);
  }
}
