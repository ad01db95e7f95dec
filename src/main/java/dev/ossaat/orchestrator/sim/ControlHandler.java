package dev.ossaat.orchestrator.sim;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

/**
 * The control API, so a demo can be driven with curl: under {@code /_sim/scenarios/{scenario}} PUT or POST a
 * (partial) profile, GET the profile and stats, DELETE to reset; {@code GET
 * /_sim/scenarios/{scenario}/last-request} for the scenario's last request with a body; {@code GET
 * /_sim/stats} for the simulator-wide counters.
 */
final class ControlHandler {
  static final String PREFIX = "/_sim/scenarios/";
  static final String STATS_PATH = "/_sim/stats";
  static final String LAST_REQUEST_SUFFIX = "/last-request";

  private final Scenarios scenarios;
  private final Connections connections;

  ControlHandler(Scenarios scenarios, Connections connections) {
    this.scenarios = scenarios;
    this.connections = connections;
  }

  /** {@code GET /_sim/stats}: {@code {"connections":N,"openConnections":M}}. */
  void handleStats(HttpServerRequest request) {
    if (request.method().equals(HttpMethod.GET)) {
      send(request, 200, connections.toJson());
    } else {
      send(request, 405, OpenAiErrors.methodNotAllowed(request.method().name(), request.path()));
    }
  }

  /** {@code GET /_sim/scenarios/{scenario}/last-request}: the echo, or 404 before the first request. */
  void handleLastRequest(HttpServerRequest request, String scenarioName) {
    if (!request.method().equals(HttpMethod.GET)) {
      send(request, 405, OpenAiErrors.methodNotAllowed(request.method().name(), request.path()));
      return;
    }
    LastRequest last = scenarios.get(scenarioName).lastRequest();
    if (last == null) {
      send(request, 404, OpenAiErrors.body("Scenario " + scenarioName + " has had no request with a body yet.",
          "not_found", null));
    } else {
      send(request, 200, last.toJson());
    }
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
