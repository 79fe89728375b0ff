package dev.tenancy.core.identity;

import java.util.Objects;

/**
 * Checks the current thread's principal (bound by {@link AccessControl#enter}) — the one-line guard of a tenant's
 * operations. The rules are listed on {@link AccessControl}; every denial is an {@link AccessDeniedException}
 * naming the missing permission, and is audited when the access control has an audit log.
 *
 * <pre>{@code
 * void createLead(Lead lead) {
 *   Permissions.require("leads:write");
 *   leads.insert(lead);
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
public final class Permissions {

  /** What a refused {@link #requirePlatform()} is audited as needing. */
  private static final Permission PLATFORM = new Permission("platform", Permission.ANY);

  private Permissions() {
  }

  /**
   * Requires a permission of the current principal in the tenant in scope.
   *
   * @param permission a concrete permission, {@code resource:action}
   * @return the principal, for convenience
   * @throws AccessDeniedException if the principal may not (see {@link AccessControl} for the rules)
   * @throws IllegalArgumentException if the permission is malformed or a wildcard
   */
  public static TenantPrincipal require(String permission) {
    return require(Permission.parse(permission));
  }

  /**
   * Requires a permission of the current principal in the tenant in scope.
   *
   * @param permission a concrete permission
   * @return the principal, for convenience
   * @throws AccessDeniedException if the principal may not (see {@link AccessControl} for the rules)
   * @throws IllegalArgumentException if the permission is a wildcard
   */
  public static TenantPrincipal require(Permission permission) {
    requireConcrete(permission);
    PrincipalFrame frame = PrincipalContext.frame();
    if (frame == null) {
      throw PrincipalContext.noPrincipal(permission.toString());
    }
    AccessDeniedException denial = frame.access.check(frame, permission);
    if (denial != null) {
      frame.access.audit(frame, permission, denial);
      throw denial;
    }
    return frame.principal;
  }

  /**
   * Tells whether {@link #require(String)} would pass, without auditing anything — for deciding what to show, not
   * for guarding an operation.
   *
   * @param permission a concrete permission, {@code resource:action}
   * @return {@code true} if the current principal holds it in the tenant in scope
   * @throws IllegalArgumentException if the permission is malformed or a wildcard
   */
  public static boolean isGranted(String permission) {
    Permission parsed = Permission.parse(permission);
    requireConcrete(parsed);
    PrincipalFrame frame = PrincipalContext.frame();
    return frame != null && frame.access.check(frame, parsed) == null;
  }

  /**
   * Requires a platform principal, for platform-wide operations (the admin API). Inside a tenant, a platform
   * principal still passes {@link #require} only within {@code TenantContext.asPlatform}.
   *
   * @return the platform principal
   * @throws AccessDeniedException with {@link AccessDeniedException.Reason#PLATFORM_ONLY} for a tenant principal, or
   *     {@link AccessDeniedException.Reason#NO_PRINCIPAL}
   */
  public static TenantPrincipal requirePlatform() {
    PrincipalFrame frame = PrincipalContext.frame();
    if (frame == null) {
      throw PrincipalContext.noPrincipal(null);
    }
    if (!frame.principal.isPlatform()) {
      AccessDeniedException denial = new AccessDeniedException(AccessDeniedException.Reason.PLATFORM_ONLY, null, "'"
          + frame.principal.subject() + "' is a tenant's principal; this operation is for platform principals ("
          + TenantPrincipal.PLATFORM_ADMIN + ") only");
      frame.access.audit(frame, PLATFORM, denial);
      throw denial;
    }
    return frame.principal;
  }

  private static void requireConcrete(Permission permission) {
    if (Objects.requireNonNull(permission, "permission").isWildcard()) {
      throw new IllegalArgumentException("Check a concrete permission such as leads:write, not the wildcard "
          + permission + ": wildcards belong in role definitions");
    }
  }
}
