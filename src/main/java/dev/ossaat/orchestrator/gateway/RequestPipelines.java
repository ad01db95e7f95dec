package dev.ossaat.orchestrator.gateway;

import dev.ossaat.orchestrator.cache.CacheStage;
import dev.ossaat.orchestrator.cache.ResponseCache;
import dev.ossaat.orchestrator.identity.IdentifyStage;
import dev.ossaat.orchestrator.limits.AdmitStage;
import dev.ossaat.orchestrator.limits.CallerLimits;
import dev.ossaat.orchestrator.pipeline.Ingress;
import dev.ossaat.orchestrator.pipeline.Pipeline;
import dev.ossaat.orchestrator.pipeline.Stage;
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
 * cache     (non-streaming chat: answer a repeat, store a fresh answer)
 * route     (the candidate providers for the model, in order)
 * encode    (on the way back: the provider's format to the client's)
 * dispatch  (fallback over the candidates: breaker, admission, retries, one deadline)
 * </pre>
 * Token counting is answered by the gateway itself after identify and admit; it never reaches a provider.
 */
public final class RequestPipelines {
  private final Map<Ingress, Pipeline> byIngress = new EnumMap<>(Ingress.class);

  public RequestPipelines(IdentifyStage identify, Optional<ResponseCache> cache, GatewayMetrics metrics, Dispatcher dispatcher,
      UsageAccountant accountant, UsageEstimates estimates, java.util.function.IntSupplier maxInflight) {
    this(identify, cache, metrics, dispatcher, accountant, estimates, maxInflight, Optional.empty());
  }

  /**
   * @param maxInflight the current {@code server.maxInflightRequests}
   * @param limits caller limits and budgets ({@code limits:}), checked by the admit stage of every route
   */
  public RequestPipelines(IdentifyStage identify, Optional<ResponseCache> cache, GatewayMetrics metrics, Dispatcher dispatcher,
      UsageAccountant accountant, UsageEstimates estimates, java.util.function.IntSupplier maxInflight,
      Optional<CallerLimits> limits) {
    AccountStage account = new AccountStage(accountant, estimates);
    DecodeStage decode = new DecodeStage();
    var shed = metrics.requestsShed.labelValues("inflight_limit"); // exported from the start, at 0
    AdmitStage admit = new AdmitStage(maxInflight, shed::inc, limits, estimates);
    List<Stage> chat = new ArrayList<>(List.of(account, decode, identify, admit));
    cache.ifPresent(c -> chat.add(new CacheStage(c, metrics)));
    chat.addAll(List.of(new RouteStage(), new EncodeStage(estimates), new DispatchStage(dispatcher)));
    Pipeline completions = new Pipeline(chat);
    byIngress.put(Ingress.CHAT_COMPLETIONS, completions);
    byIngress.put(Ingress.MESSAGES, completions);
    byIngress.put(Ingress.EMBEDDINGS, completions); // the cache stage passes embeddings by
    byIngress.put(Ingress.COUNT_TOKENS, new Pipeline(List.of(account, decode, identify, admit, new CountTokensStage(estimates))));
  }

  public Pipeline of(Ingress ingress) {
    return byIngress.get(ingress);
  }
}
