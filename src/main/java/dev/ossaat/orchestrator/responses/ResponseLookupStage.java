package dev.ossaat.orchestrator.responses;

import dev.ossaat.orchestrator.codec.Json;
import dev.ossaat.orchestrator.exchange.ApiError;
import dev.ossaat.orchestrator.pipeline.Ingress;
import dev.ossaat.orchestrator.pipeline.Reply;
import dev.ossaat.orchestrator.pipeline.RequestExchange;
import dev.ossaat.orchestrator.pipeline.Stage;
import io.vertx.core.Future;

/**
 * {@code GET /v1/responses/{id}} and {@code DELETE /v1/responses/{id}}, answered from the store in the
 * caller's tenant: another tenant's response is as absent as one never stored (404 either way, so an id
 * reveals nothing). The last stage of its pipeline; no provider is involved.
 */
public final class ResponseLookupStage implements Stage {
  /** The response id from the path, set by the HTTP layer. */
  public static final RequestExchange.Key<String> RESPONSE_ID = new RequestExchange.Key<>("response-id");

  private final ResponseStore store;
  private final ResponsesMetrics metrics;

  public ResponseLookupStage(ResponseStore store, ResponsesMetrics metrics) {
    this.store = store;
    this.metrics = metrics;
  }

  @Override
  public String name() {
    return "response-lookup";
  }

  @Override
  public Future<Reply> handle(RequestExchange ex, Chain next) {
    String id = ex.get(RESPONSE_ID);
    String tenant = ex.caller().tenantId();
    boolean delete = ex.ingress() == Ingress.RESPONSE_DELETE;
    String operation = delete ? "delete" : "get";
    Future<Boolean> found;
    Future<Reply> answer;
    if (delete) {
      found = store.delete(tenant, id);
      answer = found.map(existed -> existed
          ? (Reply) new Reply.Answer(200, Json.buffer(Json.object().put("id", id).put("object", "response").put("deleted", true)))
          : notFound(id));
    } else {
      var got = store.get(tenant, id);
      found = got.map(o -> o.isPresent());
      answer = got.map(o -> o.isPresent() ? (Reply) new Reply.Answer(200, Json.buffer(o.get().response())) : notFound(id));
    }
    return answer.transform(ar -> {
      if (ar.failed()) {
        metrics.count(operation, "error");
        ApiError error = new ApiError(503, "service_unavailable", "response_store_unavailable",
            "the response store is unavailable; retry shortly", null);
        ex.outcome().answeredByGateway(503, error.message());
        return Future.succeededFuture(new Reply.Failure(error));
      }
      boolean hit = found.result();
      metrics.count(operation, hit ? (delete ? "ok" : "hit") : "miss");
      ex.outcome().answeredByGateway(hit ? 200 : 404, hit ? null : "no response " + id + " in this tenant");
      return Future.succeededFuture(ar.result());
    });
  }

  private static Reply notFound(String id) {
    return new Reply.Failure(ApiError.notFound("response_not_found", "Response with id '" + id + "' not found."));
  }

}
