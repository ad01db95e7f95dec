package dev.ossaat.orchestrator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.config.ConfigLoader;
import dev.ossaat.orchestrator.config.OrchestratorConfig;
import dev.ossaat.orchestrator.config.ProviderConfig;
import dev.ossaat.orchestrator.testkit.TestGateway;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runbook's procedures on the config the chart really renders: the rendered ConfigMap's
 * providers.json, parsed by the real ConfigLoader and served by a running gateway (the test kit's, in
 * front of the provider simulator; every provider's baseUrl is replaced by a simulator scenario of the
 * provider's name, so nothing leaves the machine and each provider's traffic can be counted).
 */
class ChartGatewayTest {
  /** Keys for the chart's API providers (enabled: auto), so they are routable and would take traffic. */
  private static final Map<String, String> KEYS = Map.of(
      "OPENAI_API_KEY", "sk-openai", "MISTRAL_API_KEY", "sk-mistral", "OPENROUTER_API_KEY", "sk-openrouter");

  @Test
  void theEmergencyFallbackSendsEveryRequestToTheChartsOllama(@TempDir Path tmp) throws IOException {
    // The prerequisite as the runbook writes it (its values snippet), nothing more: the chart's Ollama.
    Path valuesFile = tmp.resolve("values.yaml");
    Files.writeString(valuesFile, RunbookTest.emergencyFallbackValues());
    Chart.Rendered r = new Chart.Rendered(Chart.template(Chart.DIR, List.of(valuesFile), Map.of()));
    // `kubectl scale deploy ollama ...` and `kubectl set env deploy/orchestrator ...` name these.
    r.get("Deployment", "ollama");
    r.get("Deployment", "orchestrator");
    String preference = runbookPreference();
    assertThat(preference).isEqualTo("ollama");

    // The real ConfigLoader with the variable the runbook sets: ollama first, routable without a key,
    // any model answered with its default model, at the chart's Service.
    Path file = tmp.resolve("providers.json");
    Files.writeString(file, providersJson(r).toString());
    Map<String, String> env = new HashMap<>(KEYS);
    env.put("PROVIDER_PREFERENCE", preference);
    OrchestratorConfig config = new ConfigLoader(env).loadFile(file);
    ProviderConfig first = config.routableProviders().get(0);
    assertThat(first.name()).isEqualTo("ollama");
    assertThat(first.baseUrl()).isEqualTo("http://ollama:11434/v1");
    assertThat(first.acceptAnyModel()).isTrue();
    assertThat(first.defaultModel()).isEqualTo("llama3.2");
    assertThat(config.routableProviders()).extracting(ProviderConfig::name).contains("openai", "mistral", "openrouter");

    String simulated = simulated(providersJson(r));
    // Before: a model openai lists goes to openai, ollama is only the last fallback.
    try (TestGateway gw = TestGateway.start(simulated, KEYS)) {
      assertThat(servedBy(gw, "gpt-4o")).isEqualTo("openai");
    }
    // After `kubectl set env deploy/orchestrator PROVIDER_PREFERENCE=ollama` (which restarts the pods).
    try (TestGateway gw = TestGateway.start(simulated, env)) {
      for (String model : List.of("gpt-4o", "mistral-small-latest", "openai/gpt-4o-mini")) {
        assertThat(servedBy(gw, model)).as(model).isEqualTo("ollama");
        // Answered with the default model: the only one the chart's Ollama is sure to have.
        assertThat(upstreamModel(gw, "ollama")).as(model).isEqualTo("llama3.2");
      }
      // A model no provider lists goes to the preferred provider too (routing.unknownModel: preferred);
      // ollama accepts any model, so it is asked for its own default model, as the runbook says.
      assertThat(servedBy(gw, "some-model-nobody-lists")).isEqualTo("ollama");
      assertThat(upstreamModel(gw, "ollama")).isEqualTo("llama3.2");
      for (String other : List.of("openai", "mistral", "openrouter")) {
        assertThat(gw.simStats(other).path("requests").asLong()).as(other).isZero();
      }
    }
  }

  @Test
  void aProviderAddedThroughHelmValuesAsTheRunbookWritesItIsServed(@TempDir Path tmp) throws IOException {
    // The runbook's values snippet, rendered by the chart as `helm upgrade ... --values values.yaml` does.
    Path valuesFile = tmp.resolve("values.yaml");
    Files.writeString(valuesFile, RunbookTest.addingNewProviderValues());
    Chart.Rendered r = new Chart.Rendered(Chart.template(Chart.DIR, List.of(valuesFile), Map.of()));
    JsonNode config = providersJson(r);
    assertThat(config.at("/providers/newProvider/baseUrl").asText()).isEqualTo("https://api.newprovider.example/v1");

    // Its key, where the runbook patches it: key NEWPROVIDER_API_KEY of the Secret, a file in the mount.
    Path secrets = Files.createDirectories(tmp.resolve("secrets"));
    Files.writeString(secrets.resolve("NEWPROVIDER_API_KEY"), "sk-new-provider");
    Map<String, String> env = Map.of("ORCHESTRATOR_SECRETS_DIR", secrets.toString());
    try (TestGateway gw = TestGateway.start(simulated(config), env)) {
      // The simulated provider answers only with that key.
      gw.simulate("newProvider", "{\"requireApiKey\":\"sk-new-provider\"}");
      assertThat(servedBy(gw, "model-name")).isEqualTo("newProvider");
      assertThat(upstreamModel(gw, "newProvider")).isEqualTo("model-name");
      // The runbook's verification: health, and its series under the fixed metric names.
      JsonNode health = Chart.JSON.readTree(gw.get("/health/providers").body()).at("/providers/newProvider");
      assertThat(health.path("enabled").asBoolean()).isTrue();
      assertThat(health.path("configured").asBoolean()).isTrue();
      assertThat(gw.metrics().sum("orchestrator_provider_requests_total", "provider", "newProvider", "status", "success"))
          .isEqualTo(1);
      assertThat(gw.metrics().sum("orchestrator_provider_circuit_breaker_state", "provider", "newProvider")).isZero();
    }
  }

  /** The value of the runbook's `kubectl set env deploy/orchestrator PROVIDER_PREFERENCE=...` command. */
  @Test
  void theChartsRedisValuesGiveEveryReplicaOneCache() throws IOException {
    Chart.Rendered r = Chart.render(List.of(), Map.of("redis.enabled", "true", "orchestrator.cache.enabled", "true"));
    ObjectNode config = (ObjectNode) Chart.JSON.readTree(simulated(providersJson(r)));
    assertThat(config.at("/cache/type").asText()).isEqualTo("redis");
    // The chart's Service name resolves only in the cluster: here the machine's Redis, under a test prefix.
    String prefix = "test-chart-" + java.util.UUID.randomUUID() + ":";
    ((ObjectNode) config.get("redis")).put("url", "redis://127.0.0.1:6379").put("keyPrefix", prefix);
    String body = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"" + prefix + "\"}]}";
    try (TestGateway a = TestGateway.start(config.toString(), KEYS); TestGateway b = TestGateway.start(config.toString(), KEYS)) {
      assertThat(a.post("/v1/chat/completions", body).headers().firstValue("x-orchestrator-cache")).hasValue("miss");
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
          .until(() -> a.metrics().sum("orchestrator_cache_stores_total", "backend", "redis") >= 1);
      HttpResponse<String> other = b.post("/v1/chat/completions", body);
      assertThat(other.headers().firstValue("x-orchestrator-cache")).hasValue("hit");
      assertThat(b.simStats("openai").path("requests").asLong()).isZero();
    } finally {
      io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
      var redis = io.vertx.redis.client.Redis.createClient(vertx, "redis://127.0.0.1:6379");
      var keys = TestGateway.await(redis.send(io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.KEYS).arg(prefix + "*")));
      if (keys.size() > 0) {
        var del = io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.DEL);
        keys.forEach(k -> del.arg(k.toString()));
        TestGateway.await(redis.send(del));
      }
      TestGateway.await(vertx.close());
    }
  }

  private static String runbookPreference() {
    Pattern setEnv = Pattern.compile("^kubectl set env deploy/orchestrator PROVIDER_PREFERENCE=(\\S+) -n oss-ai$");
    List<String> values = RunbookTest.commands().stream().map(setEnv::matcher).filter(Matcher::matches)
        .map(m -> m.group(1)).distinct().toList();
    assertThat(values).as("the emergency fallback's kubectl set env").contains("ollama");
    return "ollama";
  }

  private static JsonNode providersJson(Chart.Rendered r) throws IOException {
    return Chart.JSON.readTree(r.get("ConfigMap", "orchestrator-config").at("/data/providers.json").asText());
  }

  /** The rendered config with each provider's baseUrl replaced by the simulator scenario of its name. */
  private static String simulated(JsonNode rendered) {
    ObjectNode config = rendered.deepCopy();
    config.path("providers").properties().forEach(e -> {
      if (e.getValue().has("baseUrl")) ((ObjectNode) e.getValue()).put("baseUrl", "${SIM:" + e.getKey() + "}");
    });
    return config.toString();
  }

  /** Sends a chat completion for the model; the provider that answered it (each must be answered). */
  private static String servedBy(TestGateway gw, String model) {
    HttpResponse<String> r = gw.post("/v1/chat/completions", TestGateway.chat(model));
    assertThat(r.statusCode()).as("%s: %s", model, r.body()).isEqualTo(200);
    return r.headers().firstValue("x-orchestrator-provider").orElseThrow();
  }

  /** The model of the last request the provider's simulator received. */
  private static String upstreamModel(TestGateway gw, String scenario) throws IOException {
    return Chart.JSON.readTree(gw.simStats(scenario).path("lastRequestBody").asText()).path("model").asText();
  }
}
