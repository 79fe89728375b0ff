package dev.tenancy.core.identity;

/** How a principal authenticated. */
public enum PrincipalKind {
  /** A person, through a token (ours or the tenant's SSO issuer). */
  USER,
  /** A machine client, through a token issued for an API key or a service account. */
  SERVICE,
  /** A platform operator ({@code platform_admin}), bound to no tenant. */
  PLATFORM
}
