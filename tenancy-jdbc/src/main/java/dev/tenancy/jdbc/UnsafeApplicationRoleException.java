package dev.tenancy.jdbc;

import dev.tenancy.core.TenancyException;
import java.util.Objects;

/**
 * Thrown when the application role could bypass row-level security — it owns a tenant table, is a superuser or has
 * BYPASSRLS — so policies would silently not apply to it. Nothing has been changed when it is thrown.
 */
public final class UnsafeApplicationRoleException extends TenancyException {
  private static final long serialVersionUID = 1L;

  private final String role;

  /**
   * Creates the exception.
   *
   * @param role the application role
   * @param message why the role is unsafe and how to fix it
   */
  public UnsafeApplicationRoleException(String role, String message) {
    super(message);
    this.role = Objects.requireNonNull(role, "role");
  }

  /** @return the role that would bypass the policies */
  public String role() {
    return role;
  }
}
