package dev.ossaat.orchestrator.provider;

/**
 * A stream the provider has started answering (its first event has arrived and is held back), so
 * nothing has reached the client yet; {@link #start} hands the events to a sink from the first on.
 */
public interface ChatStream {
  /** Starts delivering events to the sink. */
  void start(StreamSink sink);

  /** Flow control: stop reading from the provider while the client cannot take more. */
  void pause();

  void resume();

  /**
   * Ends the stream from the client's side (an event that could not be translated): the upstream
   * request is reset and the stream fails with {@code why}, through the sink as any failure does.
   */
  void cancel(ProviderException why);
}
