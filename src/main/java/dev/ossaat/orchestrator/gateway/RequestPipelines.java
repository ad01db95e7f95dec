package dev.ossaat.orchestrator.gateway;

import dev.ossaat.orchestrator.batching.EmbeddingBatcher;
import dev.ossaat.orchestrator.cache.CacheStage;
import dev.ossaat.orchestrator.identity.IdentifyStage;
import dev.ossaat.orchestrator.limits.AdmitStage;
import dev.ossaat.orchestrator.limits.CallerLimits;
import dev.ossaat.orchestrator.pipeline.Ingress;
import dev.ossaat.orchestrator.pipeline.Pipeline;
import dev.ossaat.orchestrator.pipeline.Stage;
import dev.ossaat.orchestrator.responses.ResponseLookupStage;
import dev.ossaat.orchestrator.responses.ResponseStore;
import dev.ossaat.orchestrator.responses.ResponsesMetrics;
import dev.ossaat.orchestrator.responses.ResponsesStage;
import dev.ossaat.orchestrator.routing.DispatchStage;
import dev.ossaat.orchestrator.routing.Dispatcher;
import dev.ossaat.orchestrator.routing.RouteStage;
import dev.ossaat.orchestrator.translate.DecodeStage;
import dev.ossaat.orchestrator.translate.EncodeStage;
import dev.ossaat.orchestrator.usage.AccountStage;
import dev.ossaat.orchestrator.usage.CountTokensStage;
import dev.ossaat.orchestrator.usage.UsageAccountant;
import dev.ossaat.orchestrator.usage.UsageEstimates;
import dev.ossaat.orchestrator.telemetry.GatewayMetrics;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one place a request's path is composed. Read top to bottom, it is the request's story:
 * <pre>
 * account   (after-step: usage, dollars and the one log line, exactly once, whatever happened)
 * decode    (the client's format: a JSON object with what routing needs, or a 400 in that format)
 * identify  (who is calling: real ids for keys, bounded labels for metrics)
 * admit     (the pod's own overload, then the caller's limits and budgets; every route passes here)
 * cache     (chat, streamed or not: answer a repeat, or wait for an identical one in flight; store a fresh answer)
 * route     (the candidate providers for the model, in order)
 * encode    (on the way back: the provider's format to the client's)
 * dispatch  (fallback over the candidates: breaker, admission, retries, one deadline)
 * </pre>
 * Token counting is answered by the gateway itself after identify and admit; it never reaches a provider.
 * The Responses API adds {@code responses} (previous_response_id in, the store on the way back) after
 * admit and has no cache; reading or deleting a stored response stops after admit.
 */
public final class RequestPipelines {
  private final Map<Ingress, Pipeline> byIngress = new EnumMap<>(Ingress.class);

  /**
   * What the stages are built from, one component per concern, so a new policy is one more component
   * here rather than one more constructor argument everywhere.
   *
   * @param cache the cache stage ({@code cache.enabled}), or none
   * @param maxInflight the current {@code server.maxInflightRequests}
   * @param limits caller limits and budgets ({@code limits:}), checked by the admit stage of every route
   * @param ledger where the account stage sends each request's record (the usage ledger, or nowhere)
   * @param batcher embeddings batching ({@code providers.batching.enabled}); chat is never merged
   */
  public record Parts(IdentifyStage identify, Optional<CacheStage> cache, GatewayMetrics metrics, Dispatcher dispatcher,
      UsageAccountant accountant, UsageEstimates estimates, java.util.function.IntSupplier maxInflight,
      Optional<CallerLimits> limits, ResponseStore responseStore, dev.ossaat.orchestrator.ledger.UsageLedger ledger, Optional<EmbeddingBatcher> batcher) {}

  public RequestPipelines(Parts parts) {
    IdentifyStage identify = parts.identify();
    GatewayMetrics metrics = parts.metrics();
    Dispatcher dispatcher = parts.dispatcher();
    UsageEstimates estimates = parts.estimates();
    AccountStage account = new AccountStage(parts.accountant(), estimates, parts.ledger());
    DecodeStage decode = new DecodeStage();
    var shed = metrics.requestsShed.labelValues("inflight_limit"); // exported from the start, at 0
    AdmitStage admit = new AdmitStage(parts.maxInflight(), shed::inc, parts.limits(), estimates);
    List<Stage> chat = new ArrayList<>(List.of(account, decode, identify, admit));
    parts.cache().ifPresent(chat::add);
    DispatchStage dispatch = parts.batcher().map(b -> new DispatchStage(dispatcher, b::embed))
        .orElseGet(() -> new DispatchStage(dispatcher));
    chat.addAll(List.of(new RouteStage(), new EncodeStage(estimates), dispatch));
    Pipeline completions = new Pipeline(chat);
    byIngress.put(Ingress.CHAT_COMPLETIONS, completions);
    byIngress.put(Ingress.MESSAGES, completions);
    byIngress.put(Ingress.EMBEDDINGS, completions); // the cache stage passes embeddings by
    byIngress.put(Ingress.COUNT_TOKENS, new Pipeline(List.of(account, decode, identify, admit, new CountTokensStage(estimates))));
    // The Responses API: its conversation state around the call, and no response cache (a stored
    // response has an id of its own; a repeat is a new response).
    ResponsesMetrics responsesMetrics = new ResponsesMetrics(metrics.registry());
    byIngress.put(Ingress.RESPONSES, new Pipeline(List.of(account, decode, identify, admit,
        new ResponsesStage(parts.responseStore(), responsesMetrics), new RouteStage(), new EncodeStage(estimates), new DispatchStage(dispatcher))));
    Pipeline lookup = new Pipeline(List.of(account, decode, identify, admit, new ResponseLookupStage(parts.responseStore(), responsesMetrics)));
    byIngress.put(Ingress.RESPONSE_GET, lookup);
    byIngress.put(Ingress.RESPONSE_DELETE, lookup);
  }

  public Pipeline of(Ingress ingress) {
    return byIngress.get(ingress);
  }
}
