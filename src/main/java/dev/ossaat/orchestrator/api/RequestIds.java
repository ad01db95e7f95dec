package dev.ossaat.orchestrator.api;

import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The one rule for request ids: the client's {@code x-request-id} when it is a sane token (at most
 * 64 of {@code A-Z a-z 0-9 . _ : -}), else a fresh 32-hex-digit one. Every response carries it.
 */
final class RequestIds {
  static final String HEADER = "x-request-id";
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
  private static final String KEY = "orchestrator.request-id";

  private RequestIds() {}

  /** The client's id when it is a sane token, else a fresh one. */
  static String of(String fromClient) {
    if (fromClient != null && SAFE.matcher(fromClient).matches()) return fromClient;
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return Long.toHexString(r.nextLong() | Long.MIN_VALUE) + Long.toHexString(r.nextLong() | Long.MIN_VALUE);
  }

  /** The id of this request, decided once (by the router's first handler) and kept on the context. */
  static String of(RoutingContext rc) {
    String id = rc.get(KEY);
    if (id == null) {
      id = of(rc.request().getHeader(HEADER));
      rc.put(KEY, id);
    }
    return id;
  }
}
