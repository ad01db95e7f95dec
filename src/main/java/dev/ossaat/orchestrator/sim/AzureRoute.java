package dev.ossaat.orchestrator.sim;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * An Azure OpenAI path: {@code [/<scenario>][/v1]/openai/deployments/<deployment>/chat/completions}
 * (and {@code /embeddings}) with {@code ?api-version=}, {@code .../openai/v1/chat/completions},
 * {@code .../openai/v1/embeddings}, and the model lists {@code .../openai/models} and
 * {@code .../openai/v1/models}. The optional {@code /v1} after the scenario lets a gateway use a
 * scenario's usual base URL. Served by the OpenAI handler, with Azure's credential ({@code api-key}
 * or a bearer token), its api-version rule and its content filter ({@link #CONTENT_FILTER_PROMPT}).
 *
 * @param deployment the deployment of a deployments path, null for the v1 API and the model lists
 */
record AzureRoute(String scenario, Endpoint endpoint, String deployment) {
  static final String API_KEY_HEADER = "api-key";
  /** A prompt containing this is refused by the simulated content filter: a 400 with code content_filter. */
  static final String CONTENT_FILTER_PROMPT = "[sim:content_filter]";
  static final String CONTENT_FILTERED = "{\"error\":{\"message\":\"The response was filtered due to the prompt triggering "
      + "Azure OpenAI's content management policy. Please modify your prompt and retry.\",\"type\":null,\"param\":\"prompt\","
      + "\"code\":\"content_filter\",\"status\":400,\"innererror\":{\"code\":\"ResponsibleAIPolicyViolation\","
      + "\"content_filter_result\":{\"hate\":{\"filtered\":false,\"severity\":\"safe\"},\"violence\":{\"filtered\":true,"
      + "\"severity\":\"high\"}}}}}";
  static final String RESOURCE_NOT_FOUND = "{\"error\":{\"code\":\"404\",\"message\":\"Resource not found\"}}";
  static final String ACCESS_DENIED = "{\"error\":{\"code\":\"401\",\"message\":\"Access denied due to invalid subscription "
      + "key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional "
      + "API endpoint for your resource.\"}}";

  /**
   * The route of an Azure request, or null when it is not one. A path that is an OpenAI one
   * ({@code /openai/v1/chat/completions} is scenario "openai") stays OpenAI's.
   */
  static AzureRoute parse(String path) {
    if (ApiRoute.parse(path) != null) return null;
    String scenario = ApiRoute.DEFAULT_SCENARIO;
    String rest = afterPrefix(path);
    if (rest == null) {
      int end = path.indexOf('/', 1);
      if (end <= 1) return null;
      rest = afterPrefix(path.substring(end));
      if (rest == null) return null;
      scenario = path.substring(1, end);
    }
    switch (rest) {
      case "models", "v1/models" -> {
        return new AzureRoute(scenario, Endpoint.MODELS, null);
      }
      case "v1/chat/completions" -> {
        return new AzureRoute(scenario, Endpoint.CHAT_COMPLETIONS, null);
      }
      case "v1/embeddings" -> {
        return new AzureRoute(scenario, Endpoint.EMBEDDINGS, null);
      }
      default -> { }
    }
    if (!rest.startsWith("deployments/")) return null;
    int slash = rest.indexOf('/', "deployments/".length());
    if (slash < 0) return null;
    String deployment = rest.substring("deployments/".length(), slash);
    Endpoint endpoint = switch (rest.substring(slash + 1)) {
      case "chat/completions" -> Endpoint.CHAT_COMPLETIONS;
      case "embeddings" -> Endpoint.EMBEDDINGS;
      default -> null;
    };
    return endpoint == null || deployment.isEmpty() ? null : new AzureRoute(scenario, endpoint, deployment);
  }

  private static String afterPrefix(String path) {
    if (path.startsWith("/openai/")) return path.substring("/openai/".length());
    if (path.startsWith("/v1/openai/")) return path.substring("/v1/openai/".length());
    return null;
  }

  /** Whether a request the OpenAI handler serves came on an Azure path. */
  static boolean isAzure(HttpServerRequest request) {
    return request.path().contains("/openai/") && parse(request.path()) != null;
  }

  /** Azure's credential: the api-key header, or a bearer token. */
  static boolean keyMatches(HttpServerRequest request, String requiredKey) {
    return requiredKey.equals(request.getHeader(API_KEY_HEADER))
        || ("Bearer " + requiredKey).equals(request.getHeader("Authorization"));
  }

  /** The dated API needs api-version; the v1 API and its model list do not. */
  boolean missingApiVersion(HttpServerRequest request) {
    boolean v1 = request.path().contains("/openai/v1/");
    return !v1 && request.getParam("api-version") == null;
  }

  static boolean contentFiltered(Buffer body) {
    return body.toString(java.nio.charset.StandardCharsets.UTF_8).contains(CONTENT_FILTER_PROMPT);
  }
}
