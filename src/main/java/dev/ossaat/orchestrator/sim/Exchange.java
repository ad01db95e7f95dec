package dev.ossaat.orchestrator.sim;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;

/**
 * One API request from arrival to the end of its answer. It keeps the scenario's in-flight and
 * client-closed-early counters exact (each request leaves exactly once, either way) and drops scheduled work
 * once the client has gone. Confined to the request's event loop, so it needs no synchronisation.
 */
final class Exchange {
  private final Vertx vertx;
  private final HttpServerRequest request;
  private final HttpServerResponse response;
  private final Scenario scenario;
  private long pendingTimer = -1;
  private boolean finished;
  private boolean clientGone;

  Exchange(Vertx vertx, HttpServerRequest request, Scenario scenario) {
    this.vertx = vertx;
    this.request = request;
    this.response = request.response();
    this.scenario = scenario;
    response.closeHandler(unused -> onConnectionClosed());
  }

  Scenario scenario() {
    return scenario;
  }

  HttpServerRequest request() {
    return request;
  }

  String header(CharSequence name) {
    return request.getHeader(name);
  }

  HttpServerResponse response() {
    return response;
  }

  /** Runs {@code step} after {@code delayMs} on this event loop, unless the client has gone by then. */
  void after(long delayMs, Runnable step) {
    if (clientGone) {
      return;
    }
    if (delayMs <= 0) {
      step.run();
      return;
    }
    pendingTimer = vertx.setTimer(delayMs, unused -> {
      pendingTimer = -1;
      if (!clientGone) {
        step.run();
      }
    });
  }

  void sendJson(int status, String body) {
    finish();
    JsonResponses.send(response, status, body);
  }

  /** A whole answer with a content type of the caller's (the simulated STS answers XML). */
  void send(int status, String contentType, String body) {
    finish();
    response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, contentType).end(body);
  }

  /** Announces the whole body in {@code content-length}, sends half of it and closes the connection. */
  void sendTruncatedJson(String body) {
    Buffer full = Buffer.buffer(body);
    finish();
    response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(full.length()));
    closeAfter(response.write(full.slice(0, full.length() / 2)));
  }

  /** Closes the connection without any response. */
  void resetConnection() {
    finish();
    request.connection().close();
  }

  /**
   * Sends a server-sent-events stream: the headers at once, the first event after {@code firstDelayMs}, each
   * further one {@code intervalMs} later, each written (and flushed) as soon as it is due. A non-null
   * {@code trailer} goes out with the last event and ends the response; a null one means the stream is cut:
   * the connection is closed after the events, with no end of stream.
   */
  void stream(List<String> events, String trailer, long firstDelayMs, long intervalMs) {
    stream(null, events, trailer, firstDelayMs, intervalMs);
  }

  /** Like {@link #stream(List, String, long, long)}, with a non-null {@code preamble} sent with the headers. */
  void stream(String preamble, List<String> events, String trailer, long firstDelayMs, long intervalMs) {
    response.setChunked(true)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
    if (preamble != null) {
      response.write(preamble);
    } else if (firstDelayMs > 0) {
      response.writeHead(); // the headers must not wait for the first chunk: that is what ttft measures
    }
    List<String> steps = intervalMs > 0 || events.isEmpty() ? events : List.of(String.join("", events));
    after(firstDelayMs, () -> emit(steps, 0, trailer, intervalMs));
  }

  private void emit(List<String> steps, int index, String trailer, long intervalMs) {
    if (steps.isEmpty()) {
      finish();
      if (trailer != null) {
        response.end(trailer);
      } else {
        closeAfter(response.headWritten() ? Future.succeededFuture() : response.writeHead());
      }
      return;
    }
    String event = steps.get(index);
    if (index < steps.size() - 1) {
      response.write(event);
      after(intervalMs, () -> emit(steps, index + 1, trailer, intervalMs));
      return;
    }
    finish();
    if (trailer != null) {
      response.end(event + trailer);
    } else {
      closeAfter(response.write(event));
    }
  }

  /**
   * A binary stream (Bedrock's event stream): like {@link #stream(List, String, long, long)} with
   * byte steps and a content type of the caller's; a null {@code trailer} cuts the stream.
   */
  void streamBinary(String contentType, List<Buffer> steps, Buffer trailer, long firstDelayMs, long intervalMs) {
    response.setChunked(true).putHeader(HttpHeaders.CONTENT_TYPE, contentType);
    if (firstDelayMs > 0) {
      response.writeHead();
    }
    List<Buffer> parts = steps;
    if (intervalMs <= 0 && !steps.isEmpty()) {
      Buffer all = Buffer.buffer();
      steps.forEach(all::appendBuffer);
      parts = List.of(all);
    }
    List<Buffer> due = parts;
    after(firstDelayMs, () -> emitBinary(due, 0, trailer, intervalMs));
  }

  private void emitBinary(List<Buffer> steps, int index, Buffer trailer, long intervalMs) {
    if (index >= steps.size()) {
      finish();
      if (trailer != null) {
        response.end(trailer);
      } else {
        closeAfter(response.headWritten() ? Future.succeededFuture() : response.writeHead());
      }
      return;
    }
    Buffer step = steps.get(index);
    if (index < steps.size() - 1) {
      response.write(step);
      after(intervalMs, () -> emitBinary(steps, index + 1, trailer, intervalMs));
      return;
    }
    finish();
    if (trailer != null) {
      response.end(step.copy().appendBuffer(trailer));
    } else {
      closeAfter(response.write(step));
    }
  }

  /** Closes only once the bytes before it are on the wire, so the client really sees a partial answer. */
  private void closeAfter(Future<Void> written) {
    written.onComplete(unused -> request.connection().close());
  }

  private void finish() {
    if (!finished) {
      finished = true;
      scenario.requestFinished();
    }
  }

  private void onConnectionClosed() {
    clientGone = true;
    if (pendingTimer >= 0) {
      vertx.cancelTimer(pendingTimer);
      pendingTimer = -1;
    }
    if (!finished) {
      finished = true;
      scenario.requestAbandoned();
    }
  }
}
