package dev.ossaat.orchestrator.codec.gemini;

import java.util.Base64;

/**
 * Tool-call ids for Gemini, which has none (or an optional {@code id} it may leave out): a call the
 * model made gets a stable id from its place in the answer and its name, {@code gcall_<n>_<name>}, so
 * the same answer always yields the same ids and a tool result can be mapped back to its function's
 * name even when the client's history is all we have. Gemini 3's {@code thoughtSignature} on a call,
 * which must come back with it, rides in the id ({@code __ts_} and the signature, URL-safe), because
 * neither OpenAI's nor Anthropic's format has a place for it.
 */
public final class GeminiToolIds {
  static final String PREFIX = "gcall_";
  private static final String SIGNATURE = "__ts_";

  private GeminiToolIds() {}

  /**
   * The id of the {@code n}th call of an answer.
   *
   * @param geminiId the id Gemini gave the call, or null
   * @param signature the call's thoughtSignature, or null
   */
  static String of(int n, String name, String geminiId, String signature) {
    String base = geminiId != null && !geminiId.isEmpty() ? geminiId : PREFIX + n + "_" + name;
    if (signature == null || signature.isEmpty()) return base;
    return base + SIGNATURE + signature.replace('+', '-').replace('/', '_').replace("=", "");
  }

  /** The id Gemini gave the call (to send back), or null when the id is one of ours. */
  static String geminiId(String id) {
    String base = withoutSignature(id);
    return base.startsWith(PREFIX) ? null : base;
  }

  /** The function name encoded in one of our ids, or null. */
  static String name(String id) {
    String base = withoutSignature(id);
    if (!base.startsWith(PREFIX)) return null;
    int sep = base.indexOf('_', PREFIX.length());
    return sep < 0 || sep == base.length() - 1 ? null : base.substring(sep + 1);
  }

  /** The thoughtSignature carried in an id (standard base64 again), or null. */
  static String signature(String id) {
    if (id == null) return null;
    int at = id.indexOf(SIGNATURE);
    if (at < 0) return null;
    String url = id.substring(at + SIGNATURE.length());
    try {
      byte[] raw = Base64.getUrlDecoder().decode(url);
      return Base64.getEncoder().encodeToString(raw);
    } catch (IllegalArgumentException e) {
      return null; // not ours after all: the call goes back without a signature
    }
  }

  private static String withoutSignature(String id) {
    if (id == null) return "";
    int at = id.indexOf(SIGNATURE);
    return at < 0 ? id : id.substring(0, at);
  }
}
