package dev.ossaat.orchestrator.sim;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;

/** Ends a response with a JSON body. */
final class JsonResponses {
  private JsonResponses() {}

  static void send(HttpServerResponse response, int status, String json) {
    response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(json);
  }
}
