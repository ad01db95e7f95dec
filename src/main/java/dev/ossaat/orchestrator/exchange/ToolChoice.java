package dev.ossaat.orchestrator.exchange;

/**
 * Whether and which tool the model must call.
 *
 * @param tool the tool's name for {@link Mode#TOOL}, else null
 * @param parallel whether several calls in one turn are allowed; null when the client did not say
 */
public record ToolChoice(Mode mode, String tool, Boolean parallel) {
  public enum Mode { AUTO, NONE, ANY, TOOL }
}
