package dev.ossaat.orchestrator.batching;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.codec.Json;
import dev.ossaat.orchestrator.config.BatchingConfig;
import dev.ossaat.orchestrator.exchange.ClientRequest;
import dev.ossaat.orchestrator.exchange.Operation;
import dev.ossaat.orchestrator.exchange.Usage;
import dev.ossaat.orchestrator.provider.CallControl;
import dev.ossaat.orchestrator.provider.Completion;
import dev.ossaat.orchestrator.provider.ErrorType;
import dev.ossaat.orchestrator.provider.Provider;
import dev.ossaat.orchestrator.provider.ProviderCall;
import dev.ossaat.orchestrator.provider.ProviderException;
import dev.ossaat.orchestrator.resilience.Clock;
import dev.ossaat.orchestrator.resilience.Deadline;
import dev.ossaat.orchestrator.resilience.ProviderGuard;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Embeddings coalescing ({@code providers.batching}): concurrent embeddings calls to the same provider
 * and model with the same parameters (everything but {@code input}) are sent as one upstream call of up
 * to {@code maxBatchSize} inputs, then split back so that each caller gets exactly its own vectors
 * (re-indexed from 0, in its order) and its share of the call's token count.
 *
 * <p>The seam is the provider call of one attempt: each request still passes its own admission slot,
 * deadline and breaker permit, and a failed combined call fails every attempt in it with the provider's
 * error, so each request retries or falls back on its own, as the error policy says (a retry joins a new
 * batch). A batch is sent when it is full or {@code batchTimeout} after its first request, whichever comes
 * first; a request alone when the time is up goes as it came (no rewrite). A request that leaves (its
 * client gone, its deadline reached) is taken out of its batch, or, when the batch has been sent, stops
 * waiting for it; the combined call is reset only when all of its requests have left.
 *
 * <p>Usage share: the provider's prompt tokens apportioned by input size (characters of a text, tokens of
 * a token array), largest remainder, so the shares add up to exactly what the provider billed.
 *
 * <p>Chat is never merged: a chat completion is one conversation, and no provider API answers several in
 * one call.
 *
 * <p>Requests arrive on every event loop, so the open batches are guarded by a short lock (no I/O
 * under it); a combined call runs on the event loop of its first request, and each request's answer is
 * handed back on its own.
 */
public final class EmbeddingBatcher {
  private final Vertx vertx;
  private final BatchingConfig config;
  private final BatchMetrics metrics;
  private final Clock clock;
  private final Function<String, ProviderGuard> guards;
  private final Map<String, Batch> open = new HashMap<>();

  /**
   * @param guards each provider's guards: a combined call takes one admission slot (the dispatcher's
   *     attempts of batched embeddings take none, see {@code Dispatcher.embeddingsBatched}), so a
   *     provider's {@code admission.maxConcurrent} bounds upstream calls, not the requests in them
   */
  public EmbeddingBatcher(Vertx vertx, BatchingConfig config, BatchMetrics metrics, Clock clock,
      Function<String, ProviderGuard> guards) {
    this.vertx = vertx;
    this.config = config;
    this.metrics = metrics;
    this.clock = clock;
    this.guards = guards;
  }

  private static final class Waiter {
    final ProviderCall call;
    final EmbeddingInputs inputs;
    final Context context;
    final Promise<Completion> promise = Promise.promise();
    final long enqueuedNanos;
    boolean left;

    Waiter(ProviderCall call, EmbeddingInputs inputs, Context context, long enqueuedNanos) {
      this.call = call;
      this.inputs = inputs;
      this.context = context;
      this.enqueuedNanos = enqueuedNanos;
    }
  }

  private static final class Batch {
    final String key;
    final Provider provider;
    final List<Waiter> waiters = new ArrayList<>();
    int items;
    boolean sent;
    Clock.Timer timer;
    CallControl control;
    Context context;

    Batch(String key, Provider provider) {
      this.key = key;
      this.provider = provider;
    }
  }

  /** One attempt's embeddings call, through a batch when it has company. */
  public Future<Completion> embed(Provider provider, ProviderCall call) {
    EmbeddingInputs inputs = EmbeddingInputs.of(call.request().body().get("input"));
    int max = config.maxBatchSize();
    if (inputs == null || inputs.size() >= max || max <= 1) return admitted(provider, call, () -> call(provider, call));
    Waiter w = new Waiter(call, inputs, vertx.getOrCreateContext(), clock.nanoTime());
    String key = key(provider, call, inputs);
    List<Batch> ready = new ArrayList<>(2);
    synchronized (this) {
      Batch batch = open.get(key);
      if (batch != null && batch.items + inputs.size() > max) {
        close(batch);
        ready.add(batch);
        batch = null;
      }
      if (batch == null) {
        Batch fresh = new Batch(key, provider);
        open.put(key, fresh);
        fresh.timer = clock.schedule(Math.max(1, config.batchTimeout().toMillis()), () -> timeUp(fresh));
        batch = fresh;
      }
      batch.waiters.add(w);
      batch.items += inputs.size();
      if (batch.items >= max) {
        close(batch);
        ready.add(batch);
      }
    }
    call.control().onCancel(() -> leave(w, call.control().reason()));
    for (Batch b : ready) send(b);
    return w.promise.future();
  }

  /** Under the lock: the batch takes nobody else. */
  private void close(Batch batch) {
    batch.sent = true;
    open.remove(batch.key, batch);
    if (batch.timer != null) batch.timer.cancel();
  }

  private void timeUp(Batch batch) {
    synchronized (this) {
      if (batch.sent) return;
      close(batch);
    }
    send(batch);
  }

  /** A request whose attempt was cancelled: out of its batch, or no longer waiting for it. */
  private void leave(Waiter w, ProviderException why) {
    Batch sentBatch = null;
    synchronized (this) {
      w.left = true;
      for (Batch b : open.values()) {
        if (b.waiters.remove(w)) {
          b.items -= w.inputs.size();
          if (b.waiters.isEmpty()) close(b);
          break;
        }
      }
      // Find the sent batch it was part of, if all of that batch's requests have now left.
      sentBatch = findSentAllLeft(w);
    }
    w.promise.tryFail(why);
    Batch abandoned = sentBatch;
    if (abandoned != null && abandoned.control != null) {
      abandoned.context.runOnContext(v -> abandoned.control.cancel(why));
    }
  }

  private final Map<Waiter, Batch> sentOf = new HashMap<>();

  private Batch findSentAllLeft(Waiter w) {
    Batch b = sentOf.get(w);
    if (b == null) return null;
    for (Waiter other : b.waiters) if (!other.left) return null;
    return b;
  }

  private void send(Batch batch) {
    List<Waiter> waiters;
    synchronized (this) {
      waiters = new ArrayList<>();
      for (Waiter w : batch.waiters) if (!w.left) waiters.add(w);
      if (waiters.size() > 1) for (Waiter w : waiters) sentOf.put(w, batch);
    }
    if (waiters.isEmpty()) return;
    String provider = batch.provider.name();
    int items = 0;
    long now = clock.nanoTime();
    for (Waiter w : waiters) {
      items += w.inputs.size();
      metrics.wait.labelValues(provider).observe((now - w.enqueuedNanos) / 1e9);
    }
    metrics.size.labelValues(provider).observe(items);
    metrics.callers.labelValues(provider).observe(waiters.size());
    if (waiters.size() == 1) {
      Waiter only = waiters.get(0);
      only.context.runOnContext(v -> admitted(batch.provider, only.call, () -> call(batch.provider, only.call)).onComplete(ar -> {
        if (ar.failed()) metrics.failed.labelValues(provider).inc();
        complete(only.promise, ar);
      }));
      return;
    }
    Waiter first = waiters.get(0);
    first.context.runOnContext(v -> {
      CallControl control = new CallControl();
      synchronized (this) {
        batch.control = control;
        batch.context = first.context;
      }
      ProviderCall combined = new ProviderCall(combinedRequest(first.call.request(), waiters),
          first.call.upstreamModel(), first.call.config(), control);
      admitted(batch.provider, combined, () -> call(batch.provider, combined)).onComplete(ar -> {
        synchronized (this) {
          for (Waiter w : waiters) sentOf.remove(w);
        }
        if (ar.failed()) metrics.failed.labelValues(provider).inc();
        split(provider, waiters, ar);
      });
    });
  }

  /**
   * Runs {@code upstream} holding one of the provider's admission slots (bounded wait, as any
   * attempt's); a full queue or an expired wait fails as {@code overloaded}, which falls back.
   */
  private Future<Completion> admitted(Provider provider, ProviderCall like, java.util.function.Supplier<Future<Completion>> upstream) {
    ProviderGuard guard = guards.apply(provider.name());
    if (guard == null) return upstream.get();
    return guard.admission().acquire(Deadline.in(like.config().timeouts().total(), clock))
        .recover(t -> Future.failedFuture(ProviderException.of(provider.name(), ErrorType.OVERLOADED,
            provider.name() + " is at its concurrency limit: " + t.getMessage())))
        .compose(permit -> {
          if (like.control().cancelled()) {
            permit.release(); // everyone left while the call waited for its slot
            return Future.failedFuture(like.control().reason());
          }
          return upstream.get().andThen(ar -> permit.release());
        });
  }

  private static Future<Completion> call(Provider provider, ProviderCall call) {
    try {
      return provider.embed(call);
    } catch (RuntimeException e) {
      return Future.failedFuture(ProviderException.of(provider.name(), ErrorType.INTERNAL,
          "cannot call " + provider.name() + ": " + e.getClass().getSimpleName()));
    }
  }

  private static ClientRequest combinedRequest(ClientRequest like, List<Waiter> waiters) {
    ObjectNode body = like.body().deepCopy();
    ArrayNode input = body.putArray("input");
    for (Waiter w : waiters) w.inputs.items().forEach(input::add);
    return new ClientRequest(like.format(), Operation.EMBEDDINGS, body, Json.buffer(body), like.model(), false,
        b -> {
          throw new UnsupportedOperationException("embeddings have no neutral chat form");
        });
  }

  /** Each request's own vectors and usage share, handed back on its own event loop. */
  private void split(String provider, List<Waiter> waiters, AsyncResult<Completion> ar) {
    List<AsyncResult<Completion>> results;
    if (ar.failed()) {
      // Every request fails with the provider's error; the first carries it, the others an echo, so
      // the provider's breaker and health count the one call once.
      results = new ArrayList<>();
      Throwable cause = ar.cause();
      for (int i = 0; i < waiters.size(); i++) {
        results.add(Future.failedFuture(i > 0 && cause instanceof ProviderException pe ? pe.echo() : cause));
      }
    } else {
      results = EmbeddingSplit.of(provider, ar.result(), waiters.stream().map(w -> w.inputs).toList());
    }
    for (int i = 0; i < waiters.size(); i++) {
      Waiter w = waiters.get(i);
      AsyncResult<Completion> mine = results.get(i);
      w.context.runOnContext(v -> complete(w.promise, mine));
    }
  }

  /** Requests that can share a call: same provider (and its settings), model, input kind and parameters. */
  private static String key(Provider provider, ProviderCall call, EmbeddingInputs inputs) {
    ObjectNode rest = call.request().body().deepCopy();
    rest.remove("input");
    return provider.name() + '\n' + call.upstreamModel() + '\n' + inputs.tokens() + '\n'
        + System.identityHashCode(call.config()) + '\n' + call.request().format() + '\n' + rest;
  }

  private static void complete(Promise<Completion> promise, AsyncResult<Completion> ar) {
    if (ar.succeeded()) {
      promise.tryComplete(ar.result());
    } else {
      promise.tryFail(ar.cause());
    }
  }

  /** Used by the split when the answer cannot be divided. */
  static ProviderException malformed(String provider, String why) {
    return ProviderException.of(provider, ErrorType.SERVER_ERROR, provider + " answered a batched embeddings call " + why);
  }

  static JsonNode usageNode(long tokens) {
    return Json.object().put("prompt_tokens", tokens).put("total_tokens", tokens);
  }

  static Usage usage(long tokens) {
    return new Usage(tokens, 0, 0, 0, 0, false);
  }
}
