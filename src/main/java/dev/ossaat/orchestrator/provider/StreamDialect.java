package dev.ossaat.orchestrator.provider;

import io.vertx.core.buffer.Buffer;

/**
 * What one provider format's stream events mean to the reader: which event ends the stream, which
 * carries usage or an error, which one commits the stream to this provider. Looked at for every
 * event, so it decides from bytes where it can and parses only the few events that matter.
 * One instance per stream (it may keep the usage parts it has seen).
 */
public interface StreamDialect {
  /** What the reader does with an event. */
  enum Action {
    /** Pass it on. */
    FORWARD,
    /** Pass {@link #replacement()} on instead (the event with a surgical edit). */
    REPLACE,
    /** Keep it from the client (a usage report the client did not ask for, a keep-alive of ours). */
    DROP,
    /** The clean end marker, not itself passed on ({@code data: [DONE]}). */
    END,
    /** The last event, passed on, then the end ({@code message_stop}). */
    FORWARD_AND_END,
    /** An in-stream error: the stream failed ({@link #error()} says how). */
    FAIL
  }

  /**
   * Classifies an event; reports usage to the sink when the event carries some.
   *
   * @param usageSink where usage found in the event goes (already merged with earlier parts)
   */
  Action inspect(Buffer event, StreamSink usageSink);

  /** The event to pass on after {@link Action#REPLACE}. */
  default Buffer replacement() {
    throw new IllegalStateException("this dialect never replaces events");
  }

  /** The failure behind the last {@link Action#FAIL}. */
  ProviderException error();

  /**
   * Whether this event shows the answer has begun, so the stream is committed to this provider. Until
   * then events are held back and a failure may still fall back (a message header followed by an
   * overload error is not an answer yet).
   */
  boolean commits(Buffer event);

  /**
   * Whether the end of the body is a clean end at this point of the stream: for a format without an
   * end marker (Gemini's stream just stops after the chunk with its finish reason). False by default:
   * a body that ends before the end marker is a cut stream.
   */
  default boolean endsCleanlyAtBodyEnd() {
    return false;
  }
}
