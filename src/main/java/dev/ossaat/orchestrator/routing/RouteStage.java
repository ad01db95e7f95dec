package dev.ossaat.orchestrator.routing;

import dev.ossaat.orchestrator.exchange.ApiError;
import dev.ossaat.orchestrator.pipeline.Reply;
import dev.ossaat.orchestrator.pipeline.RequestExchange;
import dev.ossaat.orchestrator.pipeline.Stage;
import io.vertx.core.Future;
import java.util.List;

/** Which providers may serve the request, in the order to try them; a model nobody serves ends here. */
public final class RouteStage implements Stage {
  static final RequestExchange.Key<List<Candidate>> CANDIDATES = new RequestExchange.Key<>("candidates");

  @Override
  public String name() {
    return "route";
  }

  @Override
  public Future<Reply> handle(RequestExchange ex, Chain next) {
    RoutingSnapshot routing = RoutingSnapshot.of(ex);
    String model = ex.request().model();
    List<Candidate> candidates = routing.router().candidates(model, ex.request().operation());
    if (candidates.isEmpty()) {
      ApiError error = routing.router().hasProviders()
          ? ApiError.notFound("model_not_found", "The model '" + model + "' is not served by any configured provider")
          : ApiError.unavailable("no provider is enabled and configured");
      ex.outcome().answeredByGateway(error.status(), error.message());
      return Future.succeededFuture(new Reply.Failure(error));
    }
    ex.set(CANDIDATES, candidates);
    return next.proceed();
  }
}
