package dev.ossaat.orchestrator.pipeline;

import dev.ossaat.orchestrator.exchange.ApiError;
import dev.ossaat.orchestrator.provider.ErrorType;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs stages as a chain (each may answer, or call the rest and look at the reply on its way back),
 * hands the reply to the responder, then runs the after-steps of every stage that ran, in reverse
 * order, exactly once, whatever happened: an early answer, a failure, a stage that threw, a client
 * that left. A stage that throws (a bug) becomes a 500 in the client's format and an {@code internal}
 * outcome; it never leaves a request unanswered or unaccounted.
 */
public final class Pipeline {
  private static final Logger LOG = LoggerFactory.getLogger("orchestrator.pipeline");

  private final List<Stage> stages;

  public Pipeline(List<Stage> stages) {
    this.stages = List.copyOf(stages);
  }

  public Future<Void> run(RequestExchange ex, Responder responder) {
    List<Stage> ran = new ArrayList<>(stages.size());
    Promise<Void> done = Promise.promise();
    Future<Reply> reply = safely(ex, () -> step(0, ex, ran));
    reply.recover(t -> Future.succeededFuture(internal(ex, "a stage failed", t)))
        .compose(r -> safely(ex, () -> responder.respond(ex, r)))
        .onComplete(ar -> {
          if (ar.failed()) LOG.error("responding to request id={} failed: {}", ex.requestId(), describe(ar.cause()));
          ex.disarmDeadline();
          for (int i = ran.size() - 1; i >= 0; i--) {
            Stage stage = ran.get(i);
            try {
              stage.after(ex);
            } catch (RuntimeException e) {
              LOG.error("after-step of stage {} failed for request id={}: {}", stage.name(), ex.requestId(), describe(e));
            }
          }
          done.complete();
        });
    return done.future();
  }

  private Future<Reply> step(int index, RequestExchange ex, List<Stage> ran) {
    if (index >= stages.size()) {
      return Future.succeededFuture(internal(ex, "no stage answered", null));
    }
    Stage stage = stages.get(index);
    ran.add(stage);
    return stage.handle(ex, () -> safely(ex, () -> step(index + 1, ex, ran)));
  }

  private static <T> Future<T> safely(RequestExchange ex, java.util.function.Supplier<Future<T>> step) {
    try {
      Future<T> f = step.get();
      return f == null ? Future.failedFuture(new IllegalStateException("a stage returned no future")) : f;
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** A bug of ours: the client gets a plain message, the log gets the detail, never the reverse. */
  private static Reply internal(RequestExchange ex, String what, Throwable t) {
    LOG.error("internal error on request id={}: {}: {}", ex.requestId(), what, t == null ? "-" : describe(t));
    ApiError error = ApiError.internal("internal error in orchestrator");
    ex.outcome().failed(ex.outcome().provider(), ex.outcome().billedModel(), ErrorType.INTERNAL, 500,
        ex.outcome().usage(), what);
    return new Reply.Failure(error);
  }

  private static String describe(Throwable t) {
    StackTraceElement[] trace = t.getStackTrace();
    return t.getClass().getName() + (t.getMessage() == null ? "" : ": " + t.getMessage())
        + (trace.length > 0 ? " at " + trace[0] : "");
  }
}
