package dev.ossaat.orchestrator.api;

import dev.ossaat.orchestrator.config.Durations;
import dev.ossaat.orchestrator.pipeline.Ingress;
import dev.ossaat.orchestrator.pipeline.RequestExchange;
import dev.ossaat.orchestrator.resilience.Deadline;
import dev.ossaat.orchestrator.responses.ResponseLookupStage;
import dev.ossaat.orchestrator.routing.RoutingSnapshot;
import dev.ossaat.orchestrator.translate.Codecs;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/**
 * The front doors (chat completions, embeddings, Anthropic messages and token counting): thin glue
 * from an HTTP request to the request's {@link RequestExchange} and its pipeline. No policy here.
 */
final class ApiRoutes {
  private final ApiServices s;
  private final HttpResponder responder = new HttpResponder();

  ApiRoutes(ApiServices services) {
    this.s = services;
  }

  void handle(RoutingContext rc, Ingress ingress) {
    HttpServerRequest http = rc.request();
    RoutingSnapshot routing = s.routing().get();
    Duration budget = deadline(http.getHeader("x-request-timeout"), routing.config().server().requestTimeout());
    RequestExchange ex = new RequestExchange(RequestIds.of(rc), ingress,
        Codecs.of(ingress.format()), rc.body().buffer(), http::getHeader, routing.config(), s.vertx(),
        Deadline.in(budget, s.guards().clock()), budget.compareTo(routing.config().server().requestTimeout()) < 0);
    ex.set(RoutingSnapshot.KEY, routing);
    String responseId = rc.pathParam("id");
    if (responseId != null) ex.set(ResponseLookupStage.RESPONSE_ID, responseId);
    responder.bind(ex, rc.response());
    rc.response().closeHandler(v -> ex.clientLeft());
    s.pipelines().of(ingress).run(ex, responder);
  }

  /**
   * The request's deadline: {@code server.requestTimeout}, or less when the client asks for less with
   * {@code X-Request-Timeout} (milliseconds, or a duration like {@code 5s}). A client can only lower it.
   */
  static Duration deadline(String asked, Duration max) {
    if (asked == null || asked.isBlank()) return max;
    try {
      String text = asked.trim();
      Duration d = text.chars().allMatch(Character::isDigit) ? Duration.ofMillis(Long.parseLong(text)) : Durations.parse(text);
      return d.isZero() || d.compareTo(max) > 0 ? max : d;
    } catch (IllegalArgumentException e) {
      return max; // an unreadable hint is ignored rather than failing the request
    }
  }
}
