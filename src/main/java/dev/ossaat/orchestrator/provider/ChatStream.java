package dev.ossaat.orchestrator.provider;

/**
 * A stream whose response has started (status 200 received) but whose body has not been read yet,
 * so the caller can still choose to fall back elsewhere until it calls {@link #start}.
 */
public interface ChatStream {
  /** Starts delivering events to the sink. */
  void start(StreamSink sink);

  /** Flow control: stop reading from the provider while the client cannot take more. */
  void pause();

  void resume();
}
