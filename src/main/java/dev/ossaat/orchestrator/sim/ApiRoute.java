package dev.ossaat.orchestrator.sim;

/**
 * Where an API request goes: {@code /v1/<endpoint>} is the "default" scenario, {@code /<scenario>/v1/<endpoint>}
 * a named one, so each gateway provider can point at its own scenario through its base URL.
 */
record ApiRoute(String scenario, Endpoint endpoint) {
  static final String DEFAULT_SCENARIO = "default";
  private static final String VERSION_PREFIX = "/v1/";

  /** The route of {@code path}, or null when it is not an API path. */
  static ApiRoute parse(String path) {
    if (path.startsWith(VERSION_PREFIX)) {
      return of(DEFAULT_SCENARIO, path.substring(VERSION_PREFIX.length()));
    }
    int scenarioEnd = path.indexOf('/', 1);
    if (scenarioEnd <= 1 || !path.startsWith(VERSION_PREFIX, scenarioEnd)) {
      return null;
    }
    return of(path.substring(1, scenarioEnd), path.substring(scenarioEnd + VERSION_PREFIX.length()));
  }

  private static ApiRoute of(String scenario, String endpointPath) {
    Endpoint endpoint = Endpoint.byPath(endpointPath);
    return endpoint == null ? null : new ApiRoute(scenario, endpoint);
  }
}
