package dev.tenancy.core.audit;

/** Who or what performed an audited action. */
public enum AuditActorType {
  /** A person signed in to the tenant. */
  USER,
  /** A machine client of the tenant (API key, service account). */
  SERVICE,
  /** A platform operator acting across tenants ({@code TenantContext.asPlatform}). */
  PLATFORM_OPERATOR,
  /** Tenancy itself or the application, with no person behind it (jobs, provisioning). */
  SYSTEM,
  /** A caller that could not be identified, e.g. a request with a forged token. */
  ANONYMOUS
}
