package dev.ossaat.orchestrator.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.codec.Json;
import dev.ossaat.orchestrator.codec.responses.ResponseEcho;
import dev.ossaat.orchestrator.codec.responses.ResponsesRequests;
import dev.ossaat.orchestrator.exchange.ApiError;
import dev.ossaat.orchestrator.exchange.ClientRequest;
import dev.ossaat.orchestrator.pipeline.Reply;
import dev.ossaat.orchestrator.pipeline.RequestExchange;
import dev.ossaat.orchestrator.pipeline.Stage;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Responses API's conversation state, around the provider call. On the way in, a
 * {@code previous_response_id} is resolved in the caller's tenant: the request's input becomes the
 * earlier turns' input and output followed by its own items, and the id is removed (the provider,
 * translated to or passed through, sees one self-contained request). On the way back, the response
 * object gets the request's echo and is stored (unless {@code store: false}) before the client sees
 * it end, so a follow-up works whichever replica answers it.
 *
 * <p>A previous response that does not exist (expired, deleted, another tenant's, never stored) is
 * the client's error: 400 {@code previous_response_not_found}. A store that cannot answer is 503: the
 * turn cannot be continued faithfully without it. A store that cannot keep a fresh answer does not
 * fail that answer; it is logged and counted.
 */
public final class ResponsesStage implements Stage {
  private static final Logger LOG = LoggerFactory.getLogger("orchestrator.responses");

  private final ResponseStore store;
  private final ResponsesMetrics metrics;

  public ResponsesStage(ResponseStore store, ResponsesMetrics metrics) {
    this.store = store;
    this.metrics = metrics;
  }

  @Override
  public String name() {
    return "responses";
  }

  @Override
  public Future<Reply> handle(RequestExchange ex, Chain next) {
    ClientRequest request = ex.request();
    ObjectNode body = request.body();
    String tenant = ex.caller().tenantId();
    JsonNode prevNode = body.get("previous_response_id");
    String previous = prevNode != null && prevNode.isTextual() ? prevNode.textValue() : null;
    if (previous == null) return proceed(ex, next, body, ResponsesRequests.inputItems(body), tenant);
    return store.get(tenant, previous).transform(ar -> {
      if (ar.failed()) {
        metrics.count("get", "error");
        return refuse(ex, new ApiError(503, "service_unavailable", "response_store_unavailable",
            "the response store is unavailable, so previous_response_id cannot be resolved; retry shortly", "previous_response_id"));
      }
      if (ar.result().isEmpty()) {
        metrics.count("get", "miss");
        return refuse(ex, new ApiError(400, "invalid_request_error", "previous_response_not_found",
            "Previous response with id '" + previous + "' not found.", "previous_response_id"));
      }
      metrics.count("get", "hit");
      ArrayNode input = ar.result().get().conversation();
      input.addAll(ResponsesRequests.inputItems(body));
      ObjectNode expanded = body.deepCopy();
      expanded.remove("previous_response_id");
      expanded.set("input", input);
      ex.request(new ClientRequest(request.format(), request.operation(), expanded, Json.buffer(expanded), request.model(),
          request.includeUsage(), ex.codec()::decodeRequest));
      return proceed(ex, next, body, input, tenant);
    });
  }

  /** @param clientBody the request as the client sent it (its echo names the previous response) */
  private Future<Reply> proceed(RequestExchange ex, Chain next, ObjectNode clientBody, ArrayNode input, String tenant) {
    boolean keep = ResponseEcho.stored(clientBody);
    return next.proceed().compose(reply -> {
      if (reply instanceof Reply.Events events) {
        return Future.succeededFuture(new Reply.Events(new StoringStream(events.stream(), clientBody,
            keep ? r -> put(tenant, new StoredResponse(r, input)) : null), events.endMarker()));
      }
      if (!(reply instanceof Reply.Answer answer) || answer.status() != 200) return Future.succeededFuture(reply);
      ObjectNode response;
      try {
        response = Json.parseObject(answer.body());
      } catch (RuntimeException e) {
        return Future.succeededFuture(reply); // not a response object: the client gets it as it is
      }
      ResponseEcho.apply(response, clientBody);
      Reply echoed = new Reply.Answer(200, Json.buffer(response));
      if (!keep) return Future.succeededFuture(echoed);
      return put(tenant, new StoredResponse(response, input)).transform(ignored -> Future.succeededFuture(echoed));
    });
  }

  /** Stores a response; a failure is logged and counted, and the answer still goes out. */
  private Future<Void> put(String tenant, StoredResponse response) {
    return store.put(tenant, response).transform(ar -> {
      if (ar.succeeded()) {
        metrics.count("put", "ok");
      } else {
        metrics.count("put", "error");
        LOG.warn("response {} could not be stored ({}); a follow-up naming it will fail", response.id(),
            ar.cause().getMessage() == null ? ar.cause().getClass().getSimpleName() : ar.cause().getMessage());
      }
      return Future.succeededFuture();
    });
  }

  private static Future<Reply> refuse(RequestExchange ex, ApiError error) {
    ex.outcome().answeredByGateway(error.status(), error.message());
    return Future.succeededFuture(new Reply.Failure(error));
  }

}
