package dev.tenancy.core.alert;

/**
 * What an {@link Alert} is about.
 *
 * @since 0.1.0
 */
public enum AlertKind {
  /** A tenant crossed 80, 90 or 100 % of a limit. */
  QUOTA,
  /** A tenant's p95 latency went above its tier's target. */
  SLA,
  /** A security event: a cross-tenant attempt, a burst of rejected tokens. */
  SECURITY
}
