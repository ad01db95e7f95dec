package dev.ossaat.orchestrator.exchange;

/**
 * A caller as metric labels: bounded (past the cap, {@code other}) and reduced to a safe alphabet.
 * For grouping series only; never a key for anything that must tell callers apart.
 */
public record CallerLabels(String tenant, String user) {}
