package dev.ossaat.orchestrator.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real Prometheus (Debian's `prometheus`, installed by .ci/setup-monitoring.sh) on a free loopback
 * port, scraping one target every second and evaluating a rules file every second. For tests that
 * watch alerts go pending against live metrics: a stand-in exposition ({@link RulesInPrometheusTest})
 * and a running orchestrator whose simulated provider fails ({@link EndToEndAlertsTest}).
 */
final class PrometheusServer implements AutoCloseable {
  private final Process process;
  private final URI base;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private PrometheusServer(Process process, URI base) {
    this.process = process;
    this.base = base;
  }

  /** Starts Prometheus with `rules` scraping `target` (host:port, path /metrics) as job orchestrator. */
  static PrometheusServer start(Path workDir, Path rules, String target) throws IOException, InterruptedException {
    int port = freePort();
    Map<String, Object> config = Map.of(
        "global", Map.of("scrape_interval", "1s", "evaluation_interval", "1s"),
        "rule_files", List.of(rules.toAbsolutePath().toString()),
        "scrape_configs", List.of(Map.of(
            "job_name", "orchestrator",
            "static_configs", List.of(Map.of("targets", List.of(target))))));
    Path configFile = workDir.resolve("prometheus.yml");
    Files.writeString(configFile, Chart.YAML.writeValueAsString(config));
    List<String> command = new ArrayList<>(List.of(Processes.require("prometheus").toString(),
        "--config.file=" + configFile,
        "--storage.tsdb.path=" + workDir.resolve("data"),
        "--web.listen-address=127.0.0.1:" + port,
        "--log.level=warn"));
    Process process = new ProcessBuilder(command).directory(workDir.toFile())
        .redirectErrorStream(true).redirectOutput(workDir.resolve("prometheus.log").toFile()).start();
    PrometheusServer server = new PrometheusServer(process, URI.create("http://127.0.0.1:" + port));
    server.awaitReady(workDir.resolve("prometheus.log"));
    return server;
  }

  /** Active alerts as Prometheus reports them (state pending or firing). */
  List<JsonNode> alerts() throws IOException, InterruptedException {
    JsonNode body = Chart.JSON.readTree(get("/api/v1/alerts"));
    List<JsonNode> out = new ArrayList<>();
    body.at("/data/alerts").forEach(out::add);
    return out;
  }

  /** The result vector of an instant PromQL query: one {metric, value} object per series. */
  List<JsonNode> query(String promql) throws IOException, InterruptedException {
    JsonNode body = Chart.JSON.readTree(get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)));
    List<JsonNode> out = new ArrayList<>();
    body.at("/data/result").forEach(out::add);
    return out;
  }

  /** The scrape targets as Prometheus sees them (health "up" once a scrape succeeded, lastError otherwise). */
  List<JsonNode> activeTargets() throws IOException, InterruptedException {
    List<JsonNode> out = new ArrayList<>();
    Chart.JSON.readTree(get("/api/v1/targets?state=active")).at("/data/activeTargets").forEach(out::add);
    return out;
  }

  String get(String path) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) throw new IOException(path + " answered " + response.statusCode() + ": " + response.body());
    return response.body();
  }

  private void awaitReady(Path log) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) throw new IllegalStateException("prometheus exited: " + Chart.read(log));
      try {
        get("/-/ready");
        return;
      } catch (IOException notYet) {
        Thread.sleep(200);
      }
    }
    throw new IllegalStateException("prometheus not ready within 30s: " + Chart.read(log));
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops only the process this server started. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
  }
}
