package dev.ossaat.orchestrator.pipeline;

import dev.ossaat.orchestrator.exchange.Usage;
import dev.ossaat.orchestrator.provider.ErrorType;

/**
 * How a request ended, filled in by the stages as they learn it and read once by the after-steps
 * (accounting, the log line). Defaults describe a request refused before any provider was involved.
 */
public final class Outcome {
  private String provider = "none";
  private String billedModel;
  private String status = "error";
  private ErrorType errorType;
  private int httpStatus = 500;
  private Usage usage = Usage.NONE;
  private int attempts;
  private boolean cacheHit;
  private String message;

  public void succeeded(String provider, String billedModel, Usage usage) {
    this.provider = provider;
    this.billedModel = billedModel;
    this.status = "success";
    this.errorType = null;
    this.httpStatus = 200;
    this.usage = usage;
    this.message = null;
  }

  public void failed(String provider, String billedModel, ErrorType type, int httpStatus, Usage usage, String message) {
    this.provider = provider;
    this.billedModel = billedModel;
    this.status = type == ErrorType.CANCELLED ? "cancelled" : "error";
    this.errorType = type;
    this.httpStatus = type == ErrorType.CANCELLED ? 499 : httpStatus;
    this.usage = usage;
    this.message = message;
  }

  /** The gateway answered the request itself: a refusal (a 400, a 404 for an unknown model), or its own 200. */
  public void answeredByGateway(int httpStatus, String message) {
    this.status = httpStatus < 400 ? "success" : "error";
    this.httpStatus = httpStatus;
    this.message = message;
  }

  public void cacheHit() {
    this.provider = "cache";
    this.status = "success";
    this.httpStatus = 200;
    this.cacheHit = true;
    this.usage = Usage.NONE;
  }

  public void attempts(int attempts) {
    this.attempts = attempts;
  }

  public void usage(Usage usage) {
    this.usage = usage;
  }

  public String provider() {
    return provider;
  }

  /** The model the provider ran, whose price applies; null when no provider was involved. */
  public String billedModel() {
    return billedModel;
  }

  public String status() {
    return status;
  }

  public ErrorType errorType() {
    return errorType;
  }

  public int httpStatus() {
    return httpStatus;
  }

  public Usage usage() {
    return usage;
  }

  public int attempts() {
    return attempts;
  }

  public boolean isCacheHit() {
    return cacheHit;
  }

  public String message() {
    return message;
  }
}
