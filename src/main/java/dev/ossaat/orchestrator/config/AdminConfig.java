package dev.ossaat.orchestrator.config;

/** The admin API's bearer token ({@code admin.token}); without one the admin API refuses every call. */
public record AdminConfig(Secret token) {}
