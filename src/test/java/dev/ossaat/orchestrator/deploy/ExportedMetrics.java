package dev.ossaat.orchestrator.deploy;

import dev.ossaat.orchestrator.testkit.LedgerDatabase;
import dev.ossaat.orchestrator.testkit.TestGateway;
import java.net.http.HttpResponse;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names orchestrator exports, and the names the dashboards and rules may use.
 *
 * <p>{@link #exportedMetricNames()} is the one place that says what "a metric that really exists"
 * means for the dashboard, alert, HPA and runbook checks: the sample names of a real scrape of
 * {@code GET /metrics} of a running orchestrator (the test kit's in-process gateway in front of the
 * provider simulator) after a drive that makes every series family appear (counters and labelled
 * gauges have no sample until first touched), plus the short {@link #NOT_YET_EXPORTED} list.
 */
final class ExportedMetrics {
  private ExportedMetrics() {}

  /**
   * Sample names as Prometheus stores them (a histogram is its _bucket, _sum and _count series):
   * the real scrape, plus {@link #NOT_YET_EXPORTED}.
   */
  static Set<String> exportedMetricNames() {
    Set<String> names = new TreeSet<>(scrape().names());
    names.addAll(NOT_YET_EXPORTED);
    return Collections.unmodifiableSet(names);
  }

  /** The real scrape: run once per JVM and shared by every test that asks. */
  static synchronized Scrape scrape() {
    if (scrape == null && scrapeFailure == null) {
      try {
        scrape = Scrape.take();
      } catch (RuntimeException e) {
        scrapeFailure = e;
      }
    }
    if (scrapeFailure != null) throw new IllegalStateException("the scrape of a running orchestrator failed", scrapeFailure);
    return scrape;
  }

  private static Scrape scrape;
  private static RuntimeException scrapeFailure;

  /**
   * Names the dashboards and rules may use although the scrape lacks them, only because the feature
   * that exports them has not landed yet. Empty: since the resilience work landed, the scrape has the
   * queue, health and breaker series itself. Nothing else belongs here (a misspelt or removed metric
   * must fail the checks).
   */
  static final Set<String> NOT_YET_EXPORTED = Set.of();

  /**
   * Names that dashboards use but orchestrator does not export: kube-state-metrics' HPA series and
   * Prometheus' own {@code up}. Listed one by one so that a typo still fails.
   */
  static final Set<String> EXTERNAL = Set.of(
      "up",
      "kube_horizontalpodautoscaler_status_current_replicas",
      "kube_horizontalpodautoscaler_status_desired_replicas",
      "kube_horizontalpodautoscaler_spec_min_replicas",
      "kube_horizontalpodautoscaler_spec_max_replicas",
      "kube_horizontalpodautoscaler_spec_target_metric");

  /** Sample names in a Prometheus text exposition. */
  static Set<String> sampleNames(String exposition) {
    Set<String> names = new TreeSet<>();
    for (String line : exposition.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) continue;
      Matcher m = SAMPLE_NAME.matcher(line);
      if (m.lookingAt()) names.add(m.group());
    }
    return names;
  }

  /** Family name to type from the {@code # TYPE} lines of a text exposition. */
  static Map<String, String> declaredFamilies(String exposition) {
    Map<String, String> families = new LinkedHashMap<>();
    for (String line : exposition.split("\n")) {
      Matcher m = TYPE_LINE.matcher(line);
      if (m.matches()) families.put(m.group(1), m.group(2));
    }
    return families;
  }

  private static final Pattern SAMPLE_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern TYPE_LINE = Pattern.compile("# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (\\w+)\\s*");

  /** The exposition of a gateway that served the drive below, and its sample names. */
  record Scrape(String exposition, Set<String> names) {
    static Scrape take() {
      // The usage ledger is on (its own database and spool), so its series are in the scrape too.
      java.nio.file.Path spool;
      try {
        spool = java.nio.file.Files.createTempDirectory("orchestrator-scrape-spool");
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      try (dev.ossaat.orchestrator.testkit.RedisKeys redis = new dev.ossaat.orchestrator.testkit.RedisKeys();
          LedgerDatabase db = new LedgerDatabase();
          TestGateway gw = TestGateway.start(CONFIG.replace("${REDIS_PREFIX}", redis.prefix) + "ledger: {enabled: true, url: \"" + db.url() + "\", spoolDir: \"" + spool
              + "\", shipInterval: 100ms}\n", Map.of("PROVIDER_PREFERENCE", "beta,alpha"))) {
        drive(gw);
        HttpResponse<String> r = gw.get("/metrics");
        if (r.statusCode() != 200) throw new IllegalStateException("GET /metrics answered " + r.statusCode() + ": " + r.body());
        return new Scrape(r.body(), Collections.unmodifiableSet(sampleNames(r.body())));
      } finally {
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(spool)) {
          files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (java.io.IOException e) {
          // a temp directory left behind
        }
      }
    }
  }

  /**
   * The response cache is the Redis one (the machine's Redis, under a key prefix of this run's own;
   * its entries and index expire after the cache's TTL), so that the shared Redis's metrics appear.
   * beta is preferred and gets the faults; alpha is the fallback, with a priced and an unpriced
   * model. Their breakers are set high so that the few faults of the drive never open one. gamma
   * alone serves sim-gamma and has a breaker that opens at its first failure, so that whatever
   * circuit breakers export (state changes, fast failures) is in the scrape too. Caller limits run
   * on the real Redis (a prefix of the scrape's own): globex has a daily budget (the budget gauges),
   * and a request asking for too many tokens is refused (the rejection counter).
   */
  static final String CONFIG = """
      metrics: {maxTenants: 4, maxUsers: 4}
      cache: {enabled: true, type: redis, ttl: 60}
      responses: {store: redis, ttl: 60s}
      redis: {keyPrefix: "${REDIS_PREFIX}", commandTimeout: 2s}
      limits:
        maxTokens: 4096
        maxTokensPolicy: reject
        tenants:
          globex: {dollarsPerDay: 100, dollarsPerMonth: 1000}
      providers:
        circuitBreaker: {threshold: 1000, timeout: 60s, halfOpenRequests: 3}
        batching: {enabled: true, maxBatchSize: 10, batchTimeout: 20ms}
        alpha:
          baseUrl: "${SIM:alpha}"
          apiKeyRequired: false
          model: sim-small
          models: [sim-small, sim-free]
          pricing: {sim-small: {prompt: 3.0, completion: 6.0}}
        beta: {baseUrl: "${SIM:beta}", apiKeyRequired: false, model: sim-small, timeout: 300ms}
        gamma:
          baseUrl: "${SIM:gamma}"
          apiKeyRequired: false
          model: sim-gamma
          circuitBreaker: {threshold: 1, timeout: 60s, halfOpenRequests: 1}
      """;

  /** Requests that touch every family: each step says what it adds. */
  static void drive(TestGateway gw) {
    // A timeout on beta, retried on alpha: timeouts, retries, an error and a success, cost (priced).
    gw.simulate("beta", "{\"fault\":\"hang\",\"faultCount\":1}");
    expect200(complete(gw, "acme", "ann", "one"));
    // A server error on beta, then a further attempt (beta again or alpha): retries by server_error.
    gw.simulate("beta", "{\"fault\":\"error\",\"errorStatus\":500,\"faultCount\":1}");
    expect200(complete(gw, "acme", "ann", "two"));
    // A rate limit on beta, then a further attempt: retries by rate_limit.
    gw.simulate("beta", "{\"fault\":\"rate_limit\",\"faultCount\":1}");
    expect200(complete(gw, "globex", "bob", "three"));
    // beta healthy: a success (unpriced on beta), then the same request again: a cache hit.
    gw.simulate("beta", "{}");
    expect200(complete(gw, "globex", "bob", "four"));
    // The shared (Redis) cache writes after answering: the repeat waits for the write to land.
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
        .until(() -> gw.metrics().sum("orchestrator_cache_stores_total") >= 1);
    expect200(complete(gw, "globex", "bob", "four"));
    // A model only alpha serves, without a price.
    expect200(gw.post("/v1/chat/completions", body("sim-free", "five", false), "x-tenant-id", "acme", "x-user-id", "cat"));
    // A stream without reported usage: the tokenizer's estimate.
    gw.simulate("beta", "{\"omitUsage\":true}");
    expect200(gw.post("/v1/chat/completions", body("sim-small", "six", true), "x-tenant-id", "acme", "x-user-id", "ann"));
    // Prompt-cache reads and reasoning tokens reported by the provider: the token details.
    gw.simulate("beta", "{\"cachedPromptTokens\":4,\"reasoningTokens\":2}");
    expect200(gw.post("/v1/chat/completions", body("sim-small", "nine", false), "x-tenant-id", "acme", "x-user-id", "ann"));
    gw.simulate("beta", "{}");
    // gamma fails with nobody to fall back to (the client gets an error), which opens its breaker;
    // the next request meets the open breaker. Either answer is an error; which one is not the point.
    gw.simulate("gamma", "{\"fault\":\"error\",\"errorStatus\":503}");
    // Embeddings through batching: a batch sent (size, requests, wait), then one that fails on gamma.
    expect200(gw.post("/v1/embeddings", "{\"model\":\"sim-small\",\"input\":\"ten\"}", "x-tenant-id", "acme"));
    gw.post("/v1/embeddings", "{\"model\":\"sim-gamma\",\"input\":\"eleven\"}", "x-tenant-id", "acme");
    // A sampled request the cache leaves alone (skipped: non_deterministic).
    expect200(gw.post("/v1/chat/completions", "{\"model\":\"sim-small\",\"temperature\":0.5,\"messages\":"
        + "[{\"role\":\"user\",\"content\":\"twelve\"}]}", "x-tenant-id", "acme"));
    gw.post("/v1/chat/completions", body("sim-gamma", "seven", false), "x-tenant-id", "acme", "x-user-id", "ann");
    gw.post("/v1/chat/completions", body("sim-gamma", "eight", false), "x-tenant-id", "acme", "x-user-id", "ann");
    // A Responses API request, stored in the shared Redis: the store's and Redis' series.
    expect200(gw.post("/v1/responses", "{\"model\":\"sim-small\",\"input\":\"ten\"}", "x-tenant-id", "acme"));
    // Caller limits: a request over limits.maxTokens is refused (rejections by reason).
    gw.post("/v1/chat/completions", "{\"model\":\"sim-small\",\"max_tokens\":100000,\"messages\":[{\"role\":\"user\","
        + "\"content\":\"ten\"}]}", "x-tenant-id", "acme");
    // A bad request the gateway answers itself (http requests by code).
    gw.post("/v1/chat/completions", "{bad json");
  }

  private static HttpResponse<String> complete(TestGateway gw, String tenant, String user, String salt) {
    return gw.post("/v1/chat/completions", body("sim-small", salt, false), "x-tenant-id", tenant, "x-user-id", user);
  }

  private static String body(String model, String content, boolean stream) {
    return "{\"model\":\"" + model + "\"" + (stream ? ",\"stream\":true,\"stream_options\":{\"include_usage\":true}" : "")
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + content + "\"}]}";
  }

  private static void expect200(HttpResponse<String> r) {
    if (r.statusCode() != 200) {
      throw new IllegalStateException("drive request answered " + r.statusCode() + ": " + r.body());
    }
  }
}
