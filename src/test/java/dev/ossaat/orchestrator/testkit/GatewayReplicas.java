package dev.ossaat.orchestrator.testkit;

import dev.ossaat.orchestrator.Orchestrator;
import dev.ossaat.orchestrator.config.OrchestratorConfig;
import dev.ossaat.orchestrator.sim.ProviderSimulator;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Several real gateways (replicas, each with its own metrics, caches and local state, as separate
 * pods would have) in front of one provider simulator, all driven over real HTTP; whatever they
 * share, they share through real services (Redis). Same config syntax as {@link TestGateway}.
 */
public final class GatewayReplicas implements AutoCloseable {
  public final Vertx vertx;
  public final ProviderSimulator sim;
  public final List<Orchestrator> replicas = new ArrayList<>();
  public final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private GatewayReplicas(Vertx vertx, ProviderSimulator sim) {
    this.vertx = vertx;
    this.sim = sim;
  }

  public static GatewayReplicas start(int n, String yaml) {
    return start(n, yaml, null);
  }

  /** @param clock the replicas' clock (a {@link ManualClock} in tests that cross an expiry), or null */
  public static GatewayReplicas start(int n, String yaml, dev.ossaat.orchestrator.resilience.Clock clock) {
    Vertx vertx = Vertx.vertx();
    GatewayReplicas r = null;
    try {
      r = new GatewayReplicas(vertx, TestGateway.await(ProviderSimulator.start(vertx, "127.0.0.1", 0)));
      for (int i = 0; i < n; i++) {
        OrchestratorConfig config = TestGateway.config(yaml, Map.of(), r.sim::baseUrl).withPort(0);
        r.replicas.add(TestGateway.await(clock == null ? Orchestrator.start(vertx, config) : Orchestrator.start(vertx, config, clock)));
      }
      return r;
    } catch (RuntimeException e) {
      if (r != null) r.close();
      else vertx.close();
      throw e;
    }
  }

  public URI uri(int replica, String path) {
    return URI.create("http://127.0.0.1:" + replicas.get(replica).port() + path);
  }

  public HttpResponse<String> post(int replica, String path, String json, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(replica, path)).timeout(Duration.ofSeconds(30))
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
    for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
    return send(b.build());
  }

  public HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public Metrics metrics(int replica) {
    return Metrics.parse(send(HttpRequest.newBuilder(uri(replica, "/metrics")).GET().build()).body());
  }

  /** A metric summed over every replica. */
  public double sum(String name, String... match) {
    double total = 0;
    for (int i = 0; i < replicas.size(); i++) total += metrics(i).sum(name, match);
    return total;
  }

  public void simulate(String scenario, String profileJson) {
    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sim.port() + "/_sim/scenarios/" + scenario))
        .header("content-type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(profileJson)).build());
    if (r.statusCode() != 200) throw new IllegalStateException("simulator refused profile: " + r.body());
  }

  /** A scenario's stats: requests, chatRequests, streamRequests, inFlight, ... */
  public com.fasterxml.jackson.databind.JsonNode simStats(String scenario) {
    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sim.port() + "/_sim/scenarios/" + scenario))
        .GET().build());
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body()).path("stats");
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    try {
      for (Orchestrator o : replicas) TestGateway.await(o.close());
    } finally {
      TestGateway.await(vertx.close());
    }
  }
}
