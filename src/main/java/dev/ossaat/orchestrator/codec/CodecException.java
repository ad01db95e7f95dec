package dev.ossaat.orchestrator.codec;

/**
 * A body a codec cannot read. On ingress it becomes the client's 400 (with {@code param} naming the
 * field); on egress, a provider answer we cannot understand (a provider fault).
 */
public final class CodecException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String param;

  public CodecException(String message, String param) {
    super(message, null, false, false);
    this.param = param;
  }

  public CodecException(String message) {
    this(message, null);
  }

  public String param() {
    return param;
  }
}
