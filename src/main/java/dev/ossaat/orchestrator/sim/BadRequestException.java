package dev.ossaat.orchestrator.sim;

/** A request the simulator answers with 400; the message goes into the OpenAI error body. */
final class BadRequestException extends RuntimeException {
  BadRequestException(String message) {
    super(message, null, false, false);
  }
}
