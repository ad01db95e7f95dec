package dev.ossaat.orchestrator.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.codec.Json;
import dev.ossaat.orchestrator.codec.Sse;
import dev.ossaat.orchestrator.codec.SseEventSplitter;
import dev.ossaat.orchestrator.codec.responses.ResponseEcho;
import dev.ossaat.orchestrator.exchange.Usage;
import dev.ossaat.orchestrator.provider.ChatStream;
import dev.ossaat.orchestrator.provider.ErrorType;
import dev.ossaat.orchestrator.provider.ProviderException;
import dev.ossaat.orchestrator.provider.StreamSink;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * A Responses stream on its way to the client. Every event passes at once; the few lifecycle events
 * that carry the response object ({@code response.created}, {@code .in_progress}, {@code .completed},
 * {@code .incomplete}) get the request's echo, and the final one is stored before it is let go: a client
 * that sends its follow-up the moment it sees {@code response.completed} finds the response stored,
 * whichever replica it reaches. A stream that breaks gets a {@code response.failed} before the error event.
 */
final class StoringStream implements ChatStream {
  private static final Set<String> LIFECYCLE = Set.of("response.created", "response.in_progress", "response.completed",
      "response.incomplete", "response.failed");

  private final ChatStream upstream;
  private final ObjectNode request;
  /** Stores the final response object; null when the client said {@code store: false}. */
  private final Function<ObjectNode, Future<Void>> store;

  StoringStream(ChatStream upstream, ObjectNode request, Function<ObjectNode, Future<Void>> store) {
    this.upstream = upstream;
    this.request = request;
    this.store = store;
  }

  @Override
  public void start(StreamSink sink) {
    upstream.start(new Sink(sink));
  }

  @Override
  public void pause() {
    upstream.pause();
  }

  @Override
  public void resume() {
    upstream.resume();
  }

  @Override
  public void cancel(ProviderException why) {
    upstream.cancel(why);
  }

  private final class Sink implements StreamSink {
    private final StreamSink client;
    private long events;
    private ObjectNode started;
    /** The final event and whatever followed it, held until the response is stored. */
    private List<Buffer> held;
    private Future<Void> storing;

    Sink(StreamSink client) {
      this.client = client;
    }

    @Override
    public void event(Buffer sseEvent) {
      events++;
      if (held != null) {
        held.add(sseEvent);
        return;
      }
      String type = Sse.type(sseEvent);
      if (type == null || !LIFECYCLE.contains(type)) {
        client.event(sseEvent);
        return;
      }
      ObjectNode data;
      try {
        data = Json.parseObject(SseEventSplitter.data(sseEvent));
      } catch (RuntimeException e) {
        client.event(sseEvent); // not ours to judge: it goes on as it came
        return;
      }
      JsonNode response = data.get("response");
      if (response instanceof ObjectNode r) {
        ResponseEcho.apply(r, request);
        if (started == null) started = r.deepCopy();
      }
      Buffer out = Sse.event(type, data);
      boolean last = type.equals("response.completed") || type.equals("response.incomplete");
      if (last && store != null && response instanceof ObjectNode r) {
        held = new ArrayList<>(2);
        held.add(out);
        storing = store.apply(r);
        return;
      }
      client.event(out);
    }

    @Override
    public void flush() {
      if (held == null) client.flush(); // held events leave with the end
    }

    @Override
    public void usage(Usage usage) {
      client.usage(usage);
    }

    @Override
    public void end() {
      if (storing == null) {
        client.end();
        return;
      }
      // The store's outcome is the store's to report; the stream ends either way.
      storing.onComplete(ar -> {
        held.forEach(client::event);
        client.end();
      });
    }

    @Override
    public void fail(ProviderException error) {
      if (held != null) held.forEach(client::event);
      if (error.type() != ErrorType.CANCELLED && started != null && held == null) {
        ObjectNode response = started.deepCopy();
        response.put("status", "failed");
        response.putObject("error").put("code", "server_error").put("message", error.getMessage());
        ObjectNode failed = Json.object().put("type", "response.failed");
        failed.set("response", response);
        failed.put("sequence_number", events);
        client.event(Sse.event("response.failed", failed));
      }
      client.fail(error);
    }
  }
}
