package dev.tenancy.core.alert;

/**
 * How urgent an {@link Alert} is.
 *
 * @since 0.1.0
 */
public enum AlertSeverity {
  /** Worth knowing; nothing is refused yet (a quota at 80 %). */
  INFO,
  /** Needs attention soon (a quota at 90 %, an SLA breach). */
  WARNING,
  /** Requests are being refused or an attack is likely (a quota at 100 %, a cross-tenant attempt). */
  CRITICAL
}
