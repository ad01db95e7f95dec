package dev.ossaat.orchestrator.sim;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

/**
 * The control API under {@code /_sim/scenarios/{scenario}}, so a demo can be driven with curl: PUT or POST a
 * (partial) profile, GET the profile and stats, DELETE to reset.
 */
final class ControlHandler {
  static final String PREFIX = "/_sim/scenarios/";

  private final Scenarios scenarios;

  ControlHandler(Scenarios scenarios) {
    this.scenarios = scenarios;
  }

  /** The scenario view returned by GET and DELETE. */
  record ScenarioView(SimProfile profile, SimStats stats) {}

  void handle(HttpServerRequest request, String scenarioName) {
    HttpMethod method = request.method();
    if (method.equals(HttpMethod.PUT) || method.equals(HttpMethod.POST)) {
      request.body().onSuccess(body -> {
        try {
          SimProfile profile = SimJson.readProfile(body.getBytes(), scenarios.defaultProfile());
          scenarios.get(scenarioName).configure(profile);
          send(request, 200, SimJson.write(profile));
        } catch (BadRequestException e) {
          send(request, 400, OpenAiErrors.invalidRequest(e.getMessage()));
        }
      });
    } else if (method.equals(HttpMethod.GET)) {
      send(request, 200, view(scenarioName));
    } else if (method.equals(HttpMethod.DELETE)) {
      scenarios.reset(scenarioName);
      send(request, 200, view(scenarioName));
    } else {
      send(request, 405, OpenAiErrors.methodNotAllowed(method.name(), request.path()));
    }
  }

  private String view(String scenarioName) {
    Scenario scenario = scenarios.get(scenarioName);
    return SimJson.write(new ScenarioView(scenario.active().profile(), scenario.stats()));
  }

  private static void send(HttpServerRequest request, int status, String json) {
    JsonResponses.send(request.response(), status, json);
  }
}
