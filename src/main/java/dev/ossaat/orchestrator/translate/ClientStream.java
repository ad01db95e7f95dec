package dev.ossaat.orchestrator.translate;

import dev.ossaat.orchestrator.codec.ChatCodec;
import dev.ossaat.orchestrator.codec.StreamDecoder;
import dev.ossaat.orchestrator.codec.StreamEncoder;
import dev.ossaat.orchestrator.codec.StreamOptions;
import dev.ossaat.orchestrator.exchange.Usage;
import dev.ossaat.orchestrator.pipeline.RequestExchange;
import dev.ossaat.orchestrator.provider.ChatStream;
import dev.ossaat.orchestrator.provider.ErrorType;
import dev.ossaat.orchestrator.provider.ProviderException;
import dev.ossaat.orchestrator.provider.StreamSink;
import dev.ossaat.orchestrator.usage.UsageEstimates;
import io.vertx.core.buffer.Buffer;

/**
 * A provider's stream as the client's format: events pass through as bytes when the formats are the
 * same, and are translated one by one otherwise (provider decoder, neutral events, client encoder),
 * never buffered whole. When the stream is over, the request's outcome gets its usage: the provider's,
 * whichever events carried it, or an estimate of what was relayed, marked so.
 */
final class ClientStream implements ChatStream, StreamSink {
  private final RequestExchange ex;
  private final ChatStream upstream;
  private final ChatCodec providerCodec;
  private final UsageEstimates estimates;
  private final StreamDecoder decoder;
  private final StreamEncoder encoder;
  private final Transcript transcript = new Transcript();
  private StreamSink client;
  private Usage reported;
  private boolean over;

  ClientStream(RequestExchange ex, ChatStream upstream, ChatCodec providerCodec, UsageEstimates estimates) {
    this.ex = ex;
    this.upstream = upstream;
    this.providerCodec = providerCodec;
    this.estimates = estimates;
    boolean passThrough = providerCodec.format() == ex.codec().format();
    this.decoder = passThrough ? null : providerCodec.streamDecoder();
    this.encoder = passThrough ? null : ex.codec().streamEncoder(new StreamOptions(ex.request().includeUsage(),
        estimates.prompt(ex.request()), System.currentTimeMillis() / 1000));
  }

  @Override
  public void start(StreamSink sink) {
    this.client = sink;
    upstream.start(this);
  }

  @Override
  public void cancel(ProviderException why) {
    upstream.cancel(why);
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
  public void event(Buffer sseEvent) {
    if (over) return;
    transcript.add(sseEvent);
    if (decoder == null) {
      client.event(sseEvent);
      return;
    }
    try {
      decoder.decode(sseEvent, e -> encoder.encode(e, client::event));
    } catch (RuntimeException e) {
      ProviderException error = ProviderException.of(ex.outcome().provider(), ErrorType.STREAM_CUT,
          "stream from " + ex.outcome().provider() + " sent an event orchestrator could not translate");
      // Reset the upstream call: the attempt then fails, frees its slot and permit, and the failure
      // comes back here through fail(); should the stream already be over upstream, end it here.
      upstream.cancel(error);
      fail(error);
    }
  }

  @Override
  public void flush() {
    if (!over) client.flush();
  }

  @Override
  public void usage(Usage usage) {
    reported = usage;
    client.usage(usage);
  }

  @Override
  public void end() {
    if (over) return;
    over = true;
    if (encoder != null) encoder.finish(reported, client::event);
    ex.outcome().usage(usage(false));
    client.end();
  }

  @Override
  public void fail(ProviderException error) {
    if (over) return;
    over = true;
    ex.outcome().failed(ex.outcome().provider(), ex.outcome().billedModel(), error.type(), 200, usage(true), error.getMessage());
    client.fail(error);
  }

  /**
   * The provider's usage when it reported it; otherwise an estimate of what was relayed. A report cut
   * in half (Anthropic's input counts arrived, its output counts never did) keeps its exact part and
   * estimates the rest.
   */
  private Usage usage(boolean broken) {
    if (reported != null && !(broken && reported.completionTokens() == 0)) return reported;
    Transcript.Estimate relayed = transcript.completion(providerCodec);
    String model = ex.outcome().billedModel();
    long completion = Math.round(estimates.text(model, relayed.text()) * relayed.scale());
    if (reported != null) {
      return new Usage(reported.promptTokens(), completion, reported.cacheReadTokens(), reported.cacheWriteTokens(), 0, true);
    }
    return Usage.estimate(estimates.prompt(ex.request(), model), completion);
  }
}
