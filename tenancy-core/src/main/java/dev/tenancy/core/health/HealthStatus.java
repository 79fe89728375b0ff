package dev.tenancy.core.health;

import java.util.Objects;

/**
 * How healthy a tenant, a check or the platform is, from best to worst. The admin API shows it as
 * {@code "status": "UP" | "DEGRADED" | "DOWN"}.
 *
 * @since 0.1.0
 */
public enum HealthStatus {

  /** Everything checked is as it should be. */
  UP,

  /**
   * Working, but someone must look: for example an audit chain behind its checkpoint after a restore to an earlier
   * point (events were lost, and that is expected), or data of a purged tenant brought back by a restore.
   */
  DEGRADED,

  /** Broken: data unreadable, isolation not enforced, tampering found, or the check itself failed or timed out. */
  DOWN;

  /**
   * The worse of two statuses.
   *
   * @param other another status
   * @return {@code other} if it is worse than this one, else this one
   */
  public HealthStatus worse(HealthStatus other) {
    Objects.requireNonNull(other, "other");
    return other.ordinal() > ordinal() ? other : this;
  }

  /**
   * The worst of several statuses.
   *
   * @param statuses the statuses
   * @return the worst of them, {@link #UP} if there are none
   */
  public static HealthStatus worst(Iterable<HealthStatus> statuses) {
    Objects.requireNonNull(statuses, "statuses");
    HealthStatus worst = UP;
    for (HealthStatus status : statuses) {
      worst = worst.worse(status);
    }
    return worst;
  }
}
