package dev.tenancy.core.audit;

/**
 * What kind of action an event records. Security-relevant categories are never dropped by {@link AuditLog}: when its
 * queue is full, the caller waits instead.
 */
public enum AuditCategory {
  /** Authentication failures, cross-tenant attempts, tampered tokens, permission denials. */
  SECURITY(true),
  /** A platform operator's access across tenants. */
  PLATFORM_ACCESS(true),
  /** Tenant created, provisioned, suspended, reactivated, cancelled, deleted, purged. */
  LIFECYCLE(true),
  /** Configuration, tier, limit, feature, role or key changes. */
  CONFIGURATION(true),
  /** Reads and writes of tenant data, exports, backups and restores. */
  DATA_ACCESS(false),
  /** Quota and rate-limit violations and threshold alerts. */
  QUOTA(false),
  /** Anything else the application records. */
  OTHER(false);

  private final boolean securityRelevant;

  AuditCategory(boolean securityRelevant) {
    this.securityRelevant = securityRelevant;
  }

  /** @return whether events of this category must never be dropped, even when the audit queue is full */
  public boolean isSecurityRelevant() {
    return securityRelevant;
  }
}
