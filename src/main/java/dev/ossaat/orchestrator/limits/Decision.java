package dev.ossaat.orchestrator.limits;

/**
 * The answer of an admission.
 *
 * @param reason when refused: {@code requests}, {@code tokens}, {@code concurrency}, {@code daily_budget},
 *     {@code monthly_budget}, {@code limits_unavailable}
 * @param scope the 0-based index of the scope that refused, or -1
 * @param rpmLimit the tightest requests-per-minute bucket's limit, remaining and time to refill (-1: none)
 * @param day the admission's UTC day (days since the epoch) and month ({@code yyyy-mm}), which its settlement charges
 * @param local decided by this replica alone (Redis unavailable, policy open)
 */
public record Decision(boolean admitted, String reason, int scope, long retryMillis, long rpmLimit, long rpmRemaining,
    long rpmResetMillis, long tpmLimit, long tpmRemaining, long tpmResetMillis, String day, String month,
    long tenantDaySpent, long tenantDayCap, long tenantMonthSpent, long tenantMonthCap, boolean local) {

  static Decision unavailable() {
    return new Decision(false, "limits_unavailable", -1, 1000, -1, -1, 0, -1, -1, 0, "0", "", 0, -1, 0, -1, true);
  }

  boolean budget() {
    return "daily_budget".equals(reason) || "monthly_budget".equals(reason);
  }
}
