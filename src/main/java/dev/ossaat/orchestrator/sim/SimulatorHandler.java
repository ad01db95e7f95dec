package dev.ossaat.orchestrator.sim;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;

/**
 * Routes every request of the simulator's servers. Hand-written rather than a vertx-web Router: a few
 * fixed paths do not need one, and the simulator must stay cheap under benchmark load. Thread-safe; one
 * instance serves all event loops.
 */
final class SimulatorHandler implements Handler<HttpServerRequest> {
  private final Scenarios scenarios;
  private final ApiHandler api;
  private final ControlHandler control;
  private final GeminiHandler gemini;
  private final BedrockHandler bedrock;
  private final OllamaHandler ollama;

  SimulatorHandler(Vertx vertx, Scenarios scenarios, Connections connections) {
    this.scenarios = scenarios;
    this.api = new ApiHandler(vertx);
    this.control = new ControlHandler(scenarios, connections);
    this.gemini = new GeminiHandler(vertx);
    this.bedrock = new BedrockHandler(vertx);
    this.ollama = new OllamaHandler(vertx);
  }

  @Override
  public void handle(HttpServerRequest request) {
    String path = request.path();
    if (path.equals(ControlHandler.STATS_PATH)) {
      control.handleStats(request);
      return;
    }
    if (path.startsWith(ControlHandler.PREFIX)) {
      String scenario = path.substring(ControlHandler.PREFIX.length());
      if (scenario.endsWith(ControlHandler.LAST_REQUEST_SUFFIX)) {
        String name = scenario.substring(0, scenario.length() - ControlHandler.LAST_REQUEST_SUFFIX.length());
        if (!name.isEmpty() && name.indexOf('/') < 0) {
          control.handleLastRequest(request, name);
          return;
        }
      }
      if (!scenario.isEmpty() && scenario.indexOf('/') < 0) {
        control.handle(request, scenario);
        return;
      }
    }
    ApiRoute route = ApiRoute.parse(path);
    // Gemini's and Azure's paths are looked for only off the OpenAI hot path (Gemini's model list is
    // an OpenAI-looking path told apart by its x-goog-api-key header).
    if (route == null || route.endpoint() == Endpoint.MODELS) {
      GeminiRoute geminiRoute = GeminiRoute.parse(request);
      if (geminiRoute != null) {
        gemini.handle(request, geminiRoute, scenarios.get(geminiRoute.scenario()));
        return;
      }
    }
    // Bedrock's and Ollama's paths are no OpenAI/Anthropic route: looked for only off that hot path.
    if (route == null) {
      BedrockHandler.Route bedrockRoute = BedrockHandler.route(path);
      if (bedrockRoute != null) {
        bedrock.handle(request, bedrockRoute, scenarios.get(bedrockRoute.scenario()));
        return;
      }
      OllamaHandler.Route ollamaRoute = OllamaHandler.route(path);
      if (ollamaRoute != null) {
        ollama.handle(request, ollamaRoute, scenarios.get(ollamaRoute.scenario()));
        return;
      }
    }
    AzureRoute azureRoute = route == null ? AzureRoute.parse(path) : null;
    if (azureRoute != null) {
      if (!request.method().equals(azureRoute.endpoint().method())) {
        JsonResponses.send(request.response(), 405, OpenAiErrors.methodNotAllowed(request.method().name(), path));
      } else if (azureRoute.missingApiVersion(request)) {
        JsonResponses.send(request.response(), 404, AzureRoute.RESOURCE_NOT_FOUND);
      } else {
        api.handle(request, azureRoute.endpoint(), scenarios.get(azureRoute.scenario()));
      }
      return;
    }
    if (route == null) {
      JsonResponses.send(request.response(), 404, OpenAiErrors.unknownUrl(request.method().name(), path));
    } else if (!request.method().equals(route.endpoint().method())) {
      JsonResponses.send(request.response(), 405, OpenAiErrors.methodNotAllowed(request.method().name(), path));
    } else {
      api.handle(request, route.endpoint(), scenarios.get(route.scenario()));
    }
  }
}
