package dev.ossaat.orchestrator.telemetry;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;

/**
 * {@code GET /metrics}: the Prometheus text format, or OpenMetrics when the scraper asks for it.
 * Serialising every series is the one heavy thing here, so it runs on a worker thread, not the event
 * loop that serves completions.
 */
public final class MetricsEndpoint {
  private final Vertx vertx;
  private final GatewayMetrics metrics;
  private final Runnable beforeScrape;
  private final ExpositionFormats formats = ExpositionFormats.init();

  /** @param beforeScrape refreshes derived gauges (provider health) so a scrape never reads a stale one */
  public MetricsEndpoint(Vertx vertx, GatewayMetrics metrics, Runnable beforeScrape) {
    this.vertx = vertx;
    this.metrics = metrics;
    this.beforeScrape = beforeScrape;
  }

  public void handle(RoutingContext rc) {
    String accept = rc.request().getHeader(HttpHeaders.ACCEPT);
    ExpositionFormatWriter found = formats.findWriter(accept);
    // Protobuf is not bundled: anything but OpenMetrics gets the classic text format.
    ExpositionFormatWriter writer = found.isAvailable() && found.getContentType().startsWith("application/openmetrics-text")
        ? found : formats.getPrometheusTextFormatWriter();
    vertx.executeBlocking(() -> {
      beforeScrape.run();
      ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
      writer.write(out, metrics.registry().scrape());
      return Buffer.buffer(out.toByteArray());
    }, false).onComplete(ar -> {
      if (ar.failed()) {
        rc.fail(ar.cause());
        return;
      }
      rc.response().putHeader(HttpHeaders.CONTENT_TYPE, writer.getContentType()).end(ar.result());
    });
  }
}
