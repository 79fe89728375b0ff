package dev.tenancy.core;

/**
 * Thrown when a change cannot be applied because the tenant's stored state conflicts with it: the slug is taken, or
 * another writer changed the tenant since the caller read it.
 */
public class TenantConflictException extends TenancyException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what conflicts and how to resolve it
   */
  public TenantConflictException(String message) {
    super(message);
  }
}
