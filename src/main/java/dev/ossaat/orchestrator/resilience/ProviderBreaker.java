package dev.ossaat.orchestrator.resilience;

import dev.ossaat.orchestrator.config.CircuitBreakerConfig;
import dev.ossaat.orchestrator.provider.ErrorPolicy;
import dev.ossaat.orchestrator.provider.ErrorType;
import dev.ossaat.orchestrator.provider.ProviderException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.github.resilience4j.circuitbreaker.event.CircuitBreakerOnStateTransitionEvent;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One provider's circuit breaker: Resilience4j, configured so that {@code threshold} consecutive
 * failures open it (a count window of that size at a 100% failure rate), it half-opens by itself after
 * {@code timeout} (so the state gauge never claims "open" longer than it is), and lets exactly
 * {@code halfOpenRequests} trial calls through. The open-to-half-open wait is timed here, on this
 * breaker's {@link Clock}, not by Resilience4j: its automatic transition runs on a scheduler thread
 * in real time whatever clock it is given, so it is disabled and its own wait set out of reach; a
 * timer on the clock half-opens the breaker, and so does the first look at it once the wait is over
 * (should the timer be late). Resilience4j would close a half-open breaker unless
 * every trial failed; the runbook wants all trials to succeed, so any failure in half-open reopens it
 * here. Used through the non-blocking calls only: {@code tryAcquirePermission}, {@code onSuccess},
 * {@code onError}, {@code releasePermission}.
 */
public final class ProviderBreaker {
  private static final Logger LOG = LoggerFactory.getLogger("orchestrator.breaker");

  /** Bumped at every transition of any breaker: a permit is only valid in the state it was issued in. */
  private static final java.util.concurrent.atomic.AtomicLong EPOCHS = new java.util.concurrent.atomic.AtomicLong();

  /**
   * Resilience4j's own open-state wait: never reached, so the only way to half-open is {@link
   * #halfOpenIfDue}. Long, yet far from overflowing an {@link java.time.Instant}.
   */
  private static final Duration NEVER = Duration.ofDays(365L * 100);

  private final String provider;
  private final CircuitBreakerConfig config;
  private final CircuitBreaker breaker;
  private final Clock clock;
  private volatile Consumer<String> onTransition;
  private volatile long epoch = EPOCHS.incrementAndGet();
  private volatile String lastError = "none";
  private volatile String pendingReason = "";
  /** When the current open period began, on {@link #clock}; valid while {@code openEpoch == epoch}. */
  private volatile long openedAtNanos;
  /** The epoch the breaker entered OPEN in; equal to {@link #epoch} only while that period lasts. */
  private volatile long openEpoch;
  private Clock.Timer halfOpenTimer;
  private boolean retired;

  /** @param onTransition receives the new state label (closed, open, half_open) after every transition */
  public ProviderBreaker(String provider, CircuitBreakerConfig config, Consumer<String> onTransition) {
    this(provider, config, onTransition, Clock.SYSTEM);
  }

  /**
   * @param clock times the open-to-half-open wait ({@code timeout}) and {@link #untilHalfOpen}
   */
  public ProviderBreaker(String provider, CircuitBreakerConfig config, Consumer<String> onTransition, Clock clock) {
    this.provider = provider;
    this.config = config;
    this.clock = clock;
    this.onTransition = onTransition;
    this.breaker = CircuitBreaker.of(provider, io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.custom()
        .slidingWindow(config.threshold(), config.threshold(),
            io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
        .failureRateThreshold(100f)
        .waitDurationInOpenState(NEVER)
        .automaticTransitionFromOpenToHalfOpenEnabled(false)
        .permittedNumberOfCallsInHalfOpenState(config.halfOpenRequests())
        .writableStackTraceEnabled(false)
        .build());
    breaker.getEventPublisher().onStateTransition(this::transitioned);
  }

  public CircuitBreakerConfig config() {
    return config;
  }

  /**
   * A permit for one call, or null when the breaker refuses (open, or half-open with its trials out).
   * The call's outcome goes through the permit, so an outcome from before a transition (a stream that
   * started while closed, a call on a breaker a reload replaced) can never count as a trial or hand out
   * an extra trial permit.
   */
  public Permit tryAcquire() {
    halfOpenIfDue();
    return breaker.tryAcquirePermission() ? new Permit(epoch) : null;
  }

  /** One call's right to go out, and the way its outcome is reported (once). */
  public final class Permit {
    private final long issuedIn;
    private boolean done;

    private Permit(long issuedIn) {
      this.issuedIn = issuedIn;
    }

    private boolean current() {
      if (done) return false;
      done = true;
      return issuedIn == epoch;
    }

    public void success(long nanos) {
      if (current()) onSuccess(nanos);
    }

    public void failure(long nanos, ProviderException e) {
      if (current()) onFailure(nanos, e);
    }

    /** No outcome worth recording (the client left, the request's own deadline passed). */
    public void release() {
      if (current()) ProviderBreaker.this.release();
    }
  }

  /** Cheap check before queueing: an open breaker will refuse anyway. */
  public boolean isOpen() {
    halfOpenIfDue();
    State s = breaker.getState();
    return s == State.OPEN || s == State.FORCED_OPEN;
  }

  /** The provider answered properly (a client's own 4xx included: it is not the provider's fault). */
  private void onSuccess(long nanos) {
    breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
  }

  /** The attempt ended without an outcome that says anything (the client left): give the permit back. */
  private void release() {
    breaker.releasePermission();
  }

  /** Records an attempt's failure as the error-policy table says it counts against the provider. */
  private void onFailure(long nanos, ProviderException e) {
    ErrorPolicy.Breaker effect = e.deadline() ? ErrorPolicy.Breaker.IGNORED : effectOf(e.type());
    switch (effect) {
      case IGNORED -> {
        release();
        return;
      }
      case SUCCESS -> {
        onSuccess(nanos);
        return;
      }
      default -> { }
    }
    lastError = e.type().label() + ": " + e.getMessage();
    boolean halfOpen = breaker.getState() == State.HALF_OPEN;
    pendingReason = halfOpen ? "a trial request failed in half-open"
        : config.threshold() + " consecutive failures";
    breaker.onError(nanos, TimeUnit.NANOSECONDS, e);
    if (halfOpen && breaker.getState() == State.HALF_OPEN) {
      breaker.transitionToOpenState();
    }
  }

  /** What a failure of this type does to the breaker: the table's answer, with this breaker's rate-limit setting. */
  ErrorPolicy.Breaker effectOf(ErrorType type) {
    ErrorPolicy.Breaker b = ErrorPolicy.of(type).breaker();
    if (b == ErrorPolicy.Breaker.IF_RATE_LIMITS_COUNT) {
      // Not counted: the provider answered (with a throttle), which is neither a trip nor a trial failure.
      return config.countRateLimits() ? ErrorPolicy.Breaker.COUNTS : ErrorPolicy.Breaker.SUCCESS;
    }
    return b;
  }

  /** What trips the breaker: the provider's failures, never the client's own mistakes or the gateway's. */
  boolean counts(ErrorType type) {
    return effectOf(type) == ErrorPolicy.Breaker.COUNTS;
  }

  /** closed, open or half_open (a manually opened breaker reads open). */
  public String state() {
    halfOpenIfDue();
    return label(breaker.getState());
  }

  /** How long until an open breaker lets a trial through; zero when it is not open. */
  public Duration untilHalfOpen() {
    halfOpenIfDue();
    if (breaker.getState() == State.FORCED_OPEN) return config.timeout();
    if (breaker.getState() != State.OPEN) return Duration.ZERO;
    long left = config.timeout().toNanos() - (clock.nanoTime() - openedAtNanos);
    return Duration.ofNanos(Math.max(0, left));
  }

  /**
   * Half-opens an open breaker whose {@code timeout} is over. Serialized with the operator actions
   * (which could otherwise race it into half-opening a breaker just forced open or reset), and keyed on
   * the open period, so a late timer of an earlier period does nothing.
   */
  private void halfOpenIfDue() {
    if (breaker.getState() != State.OPEN) return;
    synchronized (this) {
      if (openEpoch != epoch || breaker.getState() != State.OPEN) return;
      if (clock.nanoTime() - openedAtNanos < config.timeout().toNanos()) return;
      breaker.transitionToHalfOpenState();
    }
  }

  /** The half-open timer of the open period {@code openedIn}: half-opens, or waits on if it fired early. */
  private void halfOpenTimerFired(long openedIn) {
    synchronized (this) {
      if (openEpoch != openedIn || epoch != openedIn || breaker.getState() != State.OPEN) return;
      long left = config.timeout().toNanos() - (clock.nanoTime() - openedAtNanos);
      if (left > 0) {
        halfOpenTimer = clock.schedule(ceilMillis(left), () -> halfOpenTimerFired(openedIn));
        return;
      }
    }
    halfOpenIfDue();
  }

  private static long ceilMillis(long nanos) {
    return Math.max(1, (nanos + 999_999) / 1_000_000);
  }

  /** Operator action: close now, forgetting past failures. */
  public synchronized void reset() {
    pendingReason = "reset by an operator";
    breaker.transitionToClosedState();
  }

  /** Operator action: open and stay open until reset (drains the provider on purpose). */
  public synchronized void forceOpen() {
    pendingReason = "opened by an operator";
    breaker.transitionToForcedOpenState();
  }

  /**
   * This breaker was replaced (a reload changed its settings) and its state handed on: its pending
   * half-open timer is cancelled and its transitions no longer reach the state gauge, which now
   * belongs to the replacement. Calls still under way on it report to it as before.
   */
  public synchronized void retire() {
    retired = true;
    onTransition = state -> { };
    if (halfOpenTimer != null) halfOpenTimer.cancel();
    halfOpenTimer = null;
  }

  /**
   * Takes over the state of the breaker this one replaces (its settings changed on reload), so a
   * reload never silently closes an open or operator-opened breaker.
   */
  public synchronized void inherit(ProviderBreaker old) {
    State s = old.breaker.getState();
    lastError = old.lastError;
    if (s == State.FORCED_OPEN) {
      pendingReason = "kept opened by an operator across a config reload";
      breaker.transitionToForcedOpenState();
    } else if (s == State.OPEN || s == State.HALF_OPEN) {
      pendingReason = "was " + label(s) + " before a config reload changed its settings";
      breaker.transitionToOpenState();
    }
  }

  private void transitioned(CircuitBreakerOnStateTransitionEvent e) {
    State toState = e.getStateTransition().getToState();
    synchronized (this) {
      long now = epoch = EPOCHS.incrementAndGet();
      if (halfOpenTimer != null) halfOpenTimer.cancel();
      halfOpenTimer = null;
      if (toState == State.OPEN || toState == State.FORCED_OPEN) openedAtNanos = clock.nanoTime();
      if (toState == State.OPEN) {
        openEpoch = now;
        if (!retired) halfOpenTimer = clock.schedule(ceilMillis(config.timeout().toNanos()), () -> halfOpenTimerFired(now));
      }
    }
    String from = label(e.getStateTransition().getFromState());
    String to = label(toState);
    String reason = switch (e.getStateTransition().getToState()) {
      case HALF_OPEN -> "open for " + (config.timeout().toMillis() % 1000 == 0
          ? config.timeout().toSeconds() + "s" : config.timeout().toMillis() + "ms")
          + ", letting " + config.halfOpenRequests() + " trial requests through";
      case CLOSED -> pendingReason.startsWith("reset") ? pendingReason : "all " + config.halfOpenRequests() + " trial requests succeeded";
      default -> pendingReason;
    };
    pendingReason = "";
    onTransition.accept(to);
    if (to.equals("open")) {
      LOG.warn("circuit breaker {} {} -> {} reason=\"{}\" last_error=\"{}\"", provider, from, to, reason, lastError);
    } else {
      LOG.info("circuit breaker {} {} -> {} reason=\"{}\"", provider, from, to, reason);
    }
  }

  private static String label(State s) {
    return switch (s) {
      case OPEN, FORCED_OPEN -> "open";
      case HALF_OPEN -> "half_open";
      default -> s.name().toLowerCase(Locale.ROOT);
    };
  }
}
