package dev.tenancy.core;

/**
 * Thrown when code that needs a tenant runs outside any tenant scope.
 *
 * <p>Tenancy never falls back to a default tenant: a missing tenant is a bug in the caller's wiring (a request that
 * bypassed the filter, a task submitted to an unwrapped executor), and failing closed is the only safe answer.
 */
public final class NoTenantException extends TenancyException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what needed a tenant, and how to provide one
   */
  public NoTenantException(String message) {
    super(message);
  }
}
