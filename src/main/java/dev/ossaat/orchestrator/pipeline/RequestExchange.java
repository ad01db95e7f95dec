package dev.ossaat.orchestrator.pipeline;

import dev.ossaat.orchestrator.codec.ChatCodec;
import dev.ossaat.orchestrator.config.OrchestratorConfig;
import dev.ossaat.orchestrator.exchange.Caller;
import dev.ossaat.orchestrator.exchange.CallerLabels;
import dev.ossaat.orchestrator.exchange.ClientRequest;
import dev.ossaat.orchestrator.resilience.Deadline;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One request on its way through the pipeline: what arrived, what the stages learned about it, and
 * how it ended. Lives on the event loop that accepted the request, so it needs no locks.
 *
 * <p>Stages that share state of their own (routing's candidates, the cache's key) keep it in
 * typed {@link Key attributes}, so this class does not have to know every concern.
 */
public final class RequestExchange {
  /** A typed attribute key; compared by identity. */
  public static final class Key<T> {
    private final String name;

    public Key(String name) {
      this.name = name;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private final String requestId;
  private final Ingress ingress;
  private final ChatCodec codec;
  private final Buffer rawBody;
  private final Function<String, String> headers;
  private final OrchestratorConfig config;
  private final Vertx vertx;
  private final Deadline deadline;
  private final boolean clientDeadline;
  private final Outcome outcome = new Outcome();
  private final Map<String, String> responseHeaders = new LinkedHashMap<>();
  private final Map<Key<?>, Object> attributes = new HashMap<>(4);
  private final List<Runnable> onClientGone = new ArrayList<>(2);
  private Runnable onDeadline;
  private dev.ossaat.orchestrator.resilience.Clock.Timer deadlineTimer;
  private boolean clientGone;
  private java.util.function.Supplier<io.vertx.core.Future<Void>> beforeEnd;
  private io.vertx.core.Future<Void> settled;

  private ClientRequest request;
  private Caller caller = Caller.ANONYMOUS;
  private CallerLabels labels = new CallerLabels(Caller.DEFAULT_TENANT, Caller.ANONYMOUS_USER);
  private String modelLabel = "unknown";
  private boolean stream;

  /**
   * @param headers the request's headers by (case-insensitive) name
   * @param clientDeadline whether the client lowered the deadline itself ({@code X-Request-Timeout})
   */
  public RequestExchange(String requestId, Ingress ingress, ChatCodec codec, Buffer rawBody, Function<String, String> headers,
      OrchestratorConfig config, Vertx vertx, Deadline deadline, boolean clientDeadline) {
    this.requestId = requestId;
    this.ingress = ingress;
    this.codec = codec;
    this.rawBody = rawBody;
    this.headers = headers;
    this.config = config;
    this.vertx = vertx;
    this.deadline = deadline;
    this.clientDeadline = clientDeadline;
    responseHeaders.put("x-request-id", requestId);
  }

  public String requestId() {
    return requestId;
  }

  public Ingress ingress() {
    return ingress;
  }

  /** The codec of the client's format: requests in, answers and errors out. */
  public ChatCodec codec() {
    return codec;
  }

  public Buffer rawBody() {
    return rawBody;
  }

  public String header(String name) {
    return headers.apply(name);
  }

  /** The config this request started under; a reload mid-request does not change it. */
  public OrchestratorConfig config() {
    return config;
  }

  public Vertx vertx() {
    return vertx;
  }

  public Deadline deadline() {
    return deadline;
  }

  public boolean clientDeadline() {
    return clientDeadline;
  }

  public Outcome outcome() {
    return outcome;
  }

  /** Headers every answer of this request carries (the request id, who answered, the cache verdict). */
  public Map<String, String> responseHeaders() {
    return responseHeaders;
  }

  public void responseHeader(String name, String value) {
    responseHeaders.put(name, value);
  }

  @SuppressWarnings("unchecked")
  public <T> T get(Key<T> key) {
    return (T) attributes.get(key);
  }

  public <T> void set(Key<T> key, T value) {
    attributes.put(key, value);
  }

  /** Set by the decode stage. */
  public ClientRequest request() {
    return request;
  }

  public void request(ClientRequest request) {
    this.request = request;
    this.stream = request.stream();
  }

  public boolean stream() {
    return stream;
  }

  public Caller caller() {
    return caller;
  }

  public CallerLabels labels() {
    return labels;
  }

  public void caller(Caller caller, CallerLabels labels) {
    this.caller = caller;
    this.labels = labels;
  }

  /** The requested model as a bounded metric label. */
  public String modelLabel() {
    return modelLabel;
  }

  public void modelLabel(String label) {
    this.modelLabel = label;
  }

  // ----------------------------------------------------------------- the client's connection

  /** Registers what to do if the client disconnects before the request is over. */
  public void onClientGone(Runnable action) {
    if (clientGone) {
      action.run();
    } else {
      onClientGone.add(action);
    }
  }

  public boolean clientGone() {
    return clientGone;
  }

  /** Called by the HTTP layer when the connection closes early. */
  public void clientLeft() {
    if (clientGone) return;
    clientGone = true;
    List<Runnable> actions = List.copyOf(onClientGone);
    onClientGone.clear();
    actions.forEach(Runnable::run);
  }

  // ----------------------------------------------------------------- settling before the answer ends

  /**
   * The step that must be done before the client sees the end of its answer (the accounting stage:
   * the usage ledger's record reaches its spool), registered by the stage that owns it. One step.
   */
  public void beforeEnd(java.util.function.Supplier<io.vertx.core.Future<Void>> step) {
    this.beforeEnd = step;
  }

  /**
   * Runs the {@link #beforeEnd} step once (later calls get the same future); the responder calls it
   * and waits for it before it writes the last bytes of an answer, and the accounting after-step
   * calls it for an answer that never ended (the client left). Never fails.
   */
  public io.vertx.core.Future<Void> settle() {
    if (settled == null) {
      io.vertx.core.Future<Void> f;
      try {
        f = beforeEnd == null ? null : beforeEnd.get();
      } catch (RuntimeException e) {
        f = io.vertx.core.Future.failedFuture(e);
      }
      settled = f == null ? io.vertx.core.Future.succeededFuture() : f.recover(t -> io.vertx.core.Future.succeededFuture());
    }
    return settled;
  }

  // ----------------------------------------------------------------- the one deadline, one timer

  /**
   * What to do when the deadline passes: cancel the attempt under way (each attempt replaces the
   * previous action). One timer per request, armed at the first call, however many attempts follow.
   */
  public void onDeadline(Runnable action) {
    onDeadline = action;
    if (deadlineTimer == null) {
      // On the deadline's clock; its task is handed back to this request's event loop.
      io.vertx.core.Context loop = vertx.getOrCreateContext();
      deadlineTimer = deadline.clock().schedule(Math.max(1, deadline.remainingMillis()), () -> loop.runOnContext(v -> {
        Runnable a = onDeadline;
        if (a != null) a.run();
      }));
    }
  }

  /** Ends the deadline's timer: the request is over. */
  public void disarmDeadline() {
    onDeadline = null;
    if (deadlineTimer != null) {
      deadlineTimer.cancel();
      deadlineTimer = null;
    }
  }
}
