package dev.tenancy.core.identity;

import dev.tenancy.core.TenancyException;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Thrown when the caller may not do what it tried: it lacks a permission, acts outside its tenant, or tries to grant a
 * role it may not grant. An HTTP adapter answers 403 ({@code forbidden}, or {@code cross-tenant-access} for
 * {@link Reason#CROSS_TENANT}); the message is for logs and developers, not for the response body.
 *
 * @since 0.1.0
 */
public final class AccessDeniedException extends TenancyException {
  private static final long serialVersionUID = 1L;

  /** Why access was denied. */
  public enum Reason {
    /** No principal is in scope: the request was not authenticated, or work left the thread without its principal. */
    NO_PRINCIPAL,
    /** A tenant principal acts, but no tenant is in scope. */
    NO_TENANT,
    /** The tenant in scope is not the principal's tenant. */
    CROSS_TENANT,
    /** A platform principal tried a tenant action outside {@code TenantContext.asPlatform} (or as another actor). */
    PLATFORM_ACCESS_REQUIRED,
    /** The action needs a platform principal. */
    PLATFORM_ONLY,
    /** None of the principal's roles grants the permission. */
    MISSING_PERMISSION,
    /** The principal may not grant these roles: the platform role, a role unknown to the tenant, or more than it holds. */
    GRANT_REFUSED
  }

  private final Reason reason;
  private final @Nullable String permission;

  /**
   * Creates the exception.
   *
   * @param reason why access was denied
   * @param permission the permission that was missing, or {@code null} if the denial is not about one
   * @param message what was denied and how to fix it
   */
  public AccessDeniedException(Reason reason, @Nullable String permission, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.permission = permission;
  }

  /** @return why access was denied */
  public Reason reason() {
    return reason;
  }

  /** @return the missing permission, if the denial is about one (e.g. {@code leads:write}) */
  public Optional<String> permission() {
    return Optional.ofNullable(permission);
  }
}
