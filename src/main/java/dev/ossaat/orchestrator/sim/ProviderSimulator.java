package dev.ossaat.orchestrator.sim;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake upstream AI provider speaking the OpenAI wire format (chat completions, streamed or not,
 * embeddings, models) and Anthropic's Messages API (messages, streamed or not, count_tokens, models), with
 * per-scenario latency and fault injection. A scenario is selected by the first
 * path segment, {@code /<scenario>/v1/...}; {@code /v1/...} is the "default" scenario.
 *
 * <p>It runs one HTTP server per available processor on the given Vertx, sharing one port, so that it is
 * never the bottleneck of a benchmark.
 */
public final class ProviderSimulator {
  /**
   * Vert.x gives every server listening with the same negative port one shared random port. Each simulator
   * takes its own negative value so that its servers share a port with each other and nothing else.
   */
  private static final AtomicInteger SHARED_RANDOM_PORT_KEYS = new AtomicInteger(-31_000);

  private final Vertx vertx;
  private final String deploymentId;
  private final String advertisedHost;
  private final int port;
  private final Scenarios scenarios;
  private final Connections connections;

  private ProviderSimulator(Vertx vertx, String deploymentId, String host, int port, Scenarios scenarios,
      Connections connections) {
    this.vertx = vertx;
    this.deploymentId = deploymentId;
    this.advertisedHost = advertisedHost(host);
    this.port = port;
    this.scenarios = scenarios;
    this.connections = connections;
  }

  /** Starts on host:port (port 0 = ephemeral). Uses the given Vertx; does not close it. */
  public static Future<ProviderSimulator> start(Vertx vertx, String host, int port) {
    return start(vertx, host, port, SimProfile.defaults());
  }

  /**
   * Like {@link #start(Vertx, String, int)}, with the profile every scenario has until configured and
   * returns to on reset (the CLI sets it from its flags).
   */
  public static Future<ProviderSimulator> start(Vertx vertx, String host, int port, SimProfile defaultProfile) {
    Scenarios scenarios = new Scenarios(defaultProfile);
    Connections connections = new Connections();
    SimulatorHandler handler = new SimulatorHandler(vertx, scenarios, connections);
    int listenPort = port == 0 ? SHARED_RANDOM_PORT_KEYS.getAndDecrement() : port;
    AtomicInteger boundPort = new AtomicInteger();
    DeploymentOptions options =
        new DeploymentOptions().setInstances(Runtime.getRuntime().availableProcessors());
    return vertx
        .deployVerticle(() -> new SimulatorVerticle(host, listenPort, handler, connections, boundPort::set), options)
        .map(deploymentId -> new ProviderSimulator(vertx, deploymentId, host, boundPort.get(), scenarios,
            connections));
  }

  public int port() {
    return port;
  }

  /** {@code http://127.0.0.1:<port>/<scenario>/v1}: the base URL a gateway provider is configured with. */
  public String baseUrl(String scenario) {
    return "http://" + advertisedHost + ":" + port + "/" + scenario + "/v1";
  }

  /** Replaces the profile of a scenario; takes effect for the next request and restarts its fault budget. */
  public void configure(String scenario, SimProfile profile) {
    scenarios.get(scenario).configure(profile);
  }

  /** The scenario's profile: the default profile when never configured. */
  public SimProfile profile(String scenario) {
    return scenarios.get(scenario).active().profile();
  }

  public SimStats stats(String scenario) {
    return scenarios.get(scenario).stats();
  }

  /**
   * TCP connections the simulator's servers have accepted since it started, all scenarios and the control
   * API included (also {@code GET /_sim/stats}).
   */
  public long connectionsAccepted() {
    return connections.accepted();
  }

  /** Back to the default profile, with zeroed stats. */
  public void reset(String scenario) {
    scenarios.reset(scenario);
  }

  /** Stops the servers; open connections (hanging requests included) are closed. */
  public Future<Void> close() {
    return vertx.undeploy(deploymentId);
  }

  /** Clients reach a wildcard bind through loopback; IPv6 literals need brackets in a URL. */
  private static String advertisedHost(String host) {
    if (host.equals("0.0.0.0") || host.equals("::")) {
      return "127.0.0.1";
    }
    return host.contains(":") ? "[" + host + "]" : host;
  }
}
