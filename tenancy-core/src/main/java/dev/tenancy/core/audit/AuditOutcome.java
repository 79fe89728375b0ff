package dev.tenancy.core.audit;

/** How an audited action ended. */
public enum AuditOutcome {
  /** The action was carried out. */
  SUCCESS,
  /** The action was attempted and failed (an error, a compensated provisioning). */
  FAILURE,
  /** The action was refused (authentication, authorisation, quota, cross-tenant access). */
  DENIED
}
