package dev.ossaat.orchestrator.provider;

import dev.ossaat.orchestrator.config.ConnectionPoolConfig;
import dev.ossaat.orchestrator.config.ProviderConfig;
import dev.ossaat.orchestrator.config.TlsConfig;
import dev.ossaat.orchestrator.exchange.WireFormat;
import dev.ossaat.orchestrator.provider.auth.UpstreamAuth;
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
import io.vertx.core.net.PemTrustOptions;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The HTTP side every adapter shares: the provider's connection pools (one per event loop, see
 * {@link LoopLocalClients}), the credential, the fixed headers, per-phase timeouts, cancellation, and the classification of what went wrong. Built from
 * the provider's connection settings only, so a reload that changes its policy (weights, prices,
 * timeouts, retries) keeps the warm pool.
 */
public final class HttpUpstream {
  private final Vertx vertx;
  private final String name;
  private final LoopLocalClients clients;
  private final TargetUrls urls = new TargetUrls();
  private final UpstreamErrors errors;
  private final UpstreamAuth auth;
  private final Map<String, String> headers;

  /** @param headers fixed headers of the format (a version header) and of the config, sent with every request */
  public HttpUpstream(Vertx vertx, ProviderConfig config, UpstreamAuth auth, Map<String, String> headers, UpstreamErrors errors) {
    this.vertx = vertx;
    this.name = config.name();
    this.clients = new LoopLocalClients(vertx, clientOptions(config), poolOptions(config.connectionPool()));
    this.errors = errors;
    this.auth = auth;
    this.headers = Map.copyOf(headers);
  }

  private static HttpClientOptions clientOptions(ProviderConfig config) {
    ConnectionPoolConfig pool = config.connectionPool();
    HttpClientOptions options = new HttpClientOptions()
        .setName("orchestrator-" + config.name())
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, pool.connectionTimeout().toMillis()))
        .setKeepAlive(true)
        .setKeepAliveTimeout((int) Math.max(1, pool.idleTimeout().toSeconds()))
        .setTcpNoDelay(true)
        .setDecompressionSupported(true);
    // https base URLs use TLS by their scheme; these only change whom we trust.
    TlsConfig tls = config.tls();
    if (tls.insecureSkipVerify()) {
      options.setTrustAll(true).setVerifyHost(false);
    } else if (tls.caFile() != null) {
      options.setTrustOptions(new PemTrustOptions().addCertPath(tls.caFile()));
    }
    return options;
  }

  private static PoolOptions poolOptions(ConnectionPoolConfig pool) {
    // A bounded wait queue: when every connection is busy and the queue is full the attempt fails at
    // once and the request falls back, instead of queueing without limit.
    return new PoolOptions()
        .setHttp1MaxSize(pool.maxConnections())
        .setMaxWaitQueueSize(Math.max(100, pool.maxConnections() * 4));
  }

  /** A whole answer: the status, headers and body, within the call's first-byte and total timeouts. */
  public Future<Completion> post(ProviderCall call, String url, Buffer body, WireFormat format,
      Function<Buffer, dev.ossaat.orchestrator.exchange.Usage> usageOf) {
    Promise<Completion> promise = Promise.promise();
    CallControl control = call.control();
    AnswerTimer timer = new AnswerTimer(vertx, errors, control, call.config().timeouts().firstByte().toMillis(),
        call.config().timeouts().total().toMillis());
    send(call, url, body, "application/json")
        .compose(response -> {
          timer.begun();
          return response.body().map(b -> Map.entry(response, b));
        })
        .onComplete(ar -> {
          timer.stop();
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
          promise.complete(new Completion(responseBody, format, usageOf.apply(responseBody)));
        });
    return promise.future();
  }

  /** A stream: succeeds once the dialect says the answer has begun. */
  public Future<ChatStream> stream(ProviderCall call, String url, Buffer body, Supplier<StreamDialect> dialect) {
    return stream(call, url, body, "text/event-stream", StreamFraming::sse, dialect);
  }

  /**
   * A stream in another framing than SSE (Bedrock's event stream, NDJSON), cut into events by
   * {@code framing}; succeeds once the dialect says the answer has begun.
   */
  public Future<ChatStream> stream(ProviderCall call, String url, Buffer body, String accept,
      Supplier<StreamFraming> framing, Supplier<StreamDialect> dialect) {
    Promise<ChatStream> promise = Promise.promise();
    CallControl control = call.control();
    long firstByte = call.config().timeouts().firstByte().toMillis();
    long timer = errors.armTimeout(vertx, firstByte, "with a first byte", control);
    send(call, url, body, accept).onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (ar.failed()) {
        promise.fail(failure(control, ar.cause()));
        return;
      }
      HttpClientResponse response = ar.result();
      if (response.statusCode() / 100 != 2) {
        response.body().onComplete(b -> promise.fail(control.cancelled() ? control.reason()
            : errors.status(response.statusCode(), response.headers(), b.succeeded() ? b.result() : null)));
        return;
      }
      new SseChatStream(vertx, response, control, errors, call.config().timeouts().streamIdle().toMillis(), dialect.get(),
          framing.get()).firstEvent().onComplete(promise);
    });
    return promise.future();
  }

  /** A GET that must answer 2xx: the cheap probe of every adapter. */
  public Future<Void> probe(String url, long timeoutMillis) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(urls.parse(url))
        .setTimeout(timeoutMillis).putHeader(HttpHeaders.ACCEPT, "application/json");
    headers.forEach(options::putHeader);
    auth.apply(options, Buffer.buffer());
    HttpClientAgent client;
    try {
      client = clients.current();
    } catch (IllegalStateException e) {
      return Future.failedFuture(ProviderException.of(name, ErrorType.INTERNAL, name + " connection pool is closed"));
    }
    return client.request(options)
        .compose(HttpClientRequest::send)
        .compose(response -> response.body().compose(b -> response.statusCode() / 100 == 2
            ? Future.<Void>succeededFuture()
            : Future.failedFuture(errors.status(response.statusCode(), response.headers(), b))))
        .recover(t -> Future.failedFuture(errors.exception(t)));
  }

  public Future<Void> close(java.time.Duration grace) {
    // Graceful: calls in flight (a stream of a provider that a reload replaced) may finish.
    return clients.shutdown(grace.toMillis());
  }

  private Future<HttpClientResponse> send(ProviderCall call, String url, Buffer body, String accept) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(urls.parse(url))
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.ACCEPT, accept);
    headers.forEach(options::putHeader);
    auth.apply(options, body);
    CallControl control = call.control();
    Future<HttpClientRequest> requested;
    try {
      requested = clients.current().request(options);
    } catch (IllegalStateException e) {
      // A closed client throws rather than failing the future; the caller gets a normal failure.
      return Future.failedFuture(ProviderException.of(name, ErrorType.INTERNAL, name + " connection pool is closed"));
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

  private ProviderException failure(CallControl control, Throwable cause) {
    return control.cancelled() ? control.reason() : errors.exception(cause);
  }

}
