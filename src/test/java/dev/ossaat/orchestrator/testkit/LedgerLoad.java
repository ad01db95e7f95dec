package dev.ossaat.orchestrator.testkit;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Concurrent chat requests, plain and streamed, each with a request id of its own, remembering the
 * ids whose answer arrived whole (a 200 with its full body): the requests the ledger must hold.
 */
public final class LedgerLoad implements AutoCloseable {
  public final Set<String> answered = ConcurrentHashMap.newKeySet();
  public final AtomicLong failed = new AtomicLong();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread[] workers;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** @param base the gateway, e.g. {@code http://127.0.0.1:3000} */
  public LedgerLoad(String base, String prefix, int threads) {
    workers = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      int thread = t;
      workers[t] = new Thread(() -> {
        for (long i = 0; running.get(); i++) {
          String id = prefix + "-" + thread + "-" + i;
          boolean stream = i % 3 == 0;
          String body = "{\"model\":\"gpt-4o-mini\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + id
              + "\"}]}";
          try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(10)).header("content-type", "application/json").header("x-request-id", id)
                .header("x-tenant-id", "load").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
            boolean whole = r.statusCode() == 200 && (stream ? r.body().contains("[DONE]") : r.body().contains("\"usage\""));
            if (whole) {
              answered.add(id);
            } else {
              failed.incrementAndGet();
            }
          } catch (Exception e) {
            failed.incrementAndGet();
            if (Thread.currentThread().isInterrupted()) return;
          }
        }
      }, "ledger-load-" + t);
      workers[t].setDaemon(true);
      workers[t].start();
    }
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    for (Thread w : workers) w.join(15_000);
  }
}
