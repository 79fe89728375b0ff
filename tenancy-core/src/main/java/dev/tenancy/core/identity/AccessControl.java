package dev.tenancy.core.identity;

import dev.tenancy.core.PlatformAccess;
import dev.tenancy.core.TenantContext;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.audit.AuditLog;
import java.util.Collection;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;

/**
 * Role-based access control inside tenants: binds a verified principal to the current thread together with the
 * {@link RoleCatalog} its roles are read from, so that {@link Permissions#require(String)} can check it anywhere
 * below; checks role grants; and audits every denial.
 *
 * <p>The rules {@link Permissions#require} applies, in order:
 * <ol>
 *   <li>a principal must be in scope ({@link AccessDeniedException.Reason#NO_PRINCIPAL});</li>
 *   <li>a platform principal passes only inside {@code TenantContext.asPlatform(actor, reason, …)} whose actor is
 *       the principal's subject — so every platform action inside a tenant is announced, audited and attributed
 *       ({@link AccessDeniedException.Reason#PLATFORM_ACCESS_REQUIRED});</li>
 *   <li>a tenant principal needs a tenant in scope ({@link AccessDeniedException.Reason#NO_TENANT}), and it must be
 *       the principal's own ({@link AccessDeniedException.Reason#CROSS_TENANT});</li>
 *   <li>one of its roles must grant the permission in that tenant
 *       ({@link AccessDeniedException.Reason#MISSING_PERMISSION}).</li>
 * </ol>
 *
 * <pre>{@code
 * AccessControl access = AccessControl.builder().roles(roleCatalog).auditLog(auditLog).build();
 * try (TenantScope tenant = TenantContext.enter(info);
 *      PrincipalScope caller = access.enter(principal)) {
 *   Permissions.require("leads:write");           // AccessDeniedException (403) unless a role grants it
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
public final class AccessControl {

  private final RoleCatalog roles;
  private final @Nullable AuditLog audit;

  private AccessControl(RoleCatalog roles, @Nullable AuditLog audit) {
    this.roles = roles;
    this.audit = audit;
  }

  /**
   * Access control with a role catalog and no audit log.
   *
   * @param roles the roles
   * @return the access control
   */
  public static AccessControl of(RoleCatalog roles) {
    return builder().roles(roles).build();
  }

  /** @return a builder; the role catalog defaults to {@link RoleCatalog#builtIn()} */
  public static Builder builder() {
    return new Builder();
  }

  /** @return the role catalog permissions are read from */
  public RoleCatalog roles() {
    return roles;
  }

  /**
   * Binds a verified principal to the current thread.
   *
   * @param principal the principal, as verified by the token service or an API key
   * @return the scope; close it (try-with-resources) to restore the previous principal
   */
  public PrincipalScope enter(TenantPrincipal principal) {
    return PrincipalContext.push(Objects.requireNonNull(principal, "principal"), this);
  }

  /**
   * Runs an action as a principal.
   *
   * @param principal the principal
   * @param action the action
   */
  public void run(TenantPrincipal principal, Runnable action) {
    Objects.requireNonNull(action, "action");
    try (PrincipalScope ignored = enter(principal)) {
      action.run();
    }
  }

  /**
   * Computes a value as a principal.
   *
   * @param principal the principal
   * @param action the computation
   * @param <T> the result type
   * @return the result
   * @throws Exception whatever the action throws
   */
  public <T> T call(TenantPrincipal principal, Callable<T> action) throws Exception {
    Objects.requireNonNull(action, "action");
    try (PrincipalScope ignored = enter(principal)) {
      return action.call();
    }
  }

  /**
   * Checks a grant as {@link RoleCatalog#checkGrant} does, and audits a refusal.
   *
   * @param grantor who grants
   * @param tenant the tenant the roles are granted in
   * @param grantedRoles the roles
   * @throws AccessDeniedException if the grant is refused
   */
  public void checkGrant(TenantPrincipal grantor, TenantInfo tenant, Collection<String> grantedRoles) {
    try {
      roles.checkGrant(grantor, tenant, grantedRoles);
    } catch (AccessDeniedException refused) {
      if (audit != null) {
        audit.record(IdentityAudit.grantRefused(grantor, tenant.id(), grantedRoles, refused, "role.grant_refused"));
      }
      throw refused;
    }
  }

  /** The rules of the class comment; {@code null} means allowed. Builds an exception only for a denial. */
  @Nullable AccessDeniedException check(PrincipalFrame frame, Permission required) {
    TenantPrincipal principal = frame.principal;
    if (principal.isPlatform()) {
      PlatformAccess access = TenantContext.platformAccess().orElse(null);
      if (access == null || !access.actor().equals(principal.subject())) {
        return new AccessDeniedException(AccessDeniedException.Reason.PLATFORM_ACCESS_REQUIRED, required.toString(),
            "Platform principal '" + principal.subject() + "' may use " + required + " only inside "
                + "TenantContext.asPlatform(\"" + principal.subject() + "\", reason, tenant, ...)"
                + (access == null ? "" : ", not inside the platform access of '" + access.actor() + "'"));
      }
      return null;
    }
    TenantInfo tenant = TenantContext.current().orElse(null);
    if (tenant == null) {
      return new AccessDeniedException(AccessDeniedException.Reason.NO_TENANT, required.toString(), "'"
          + principal.subject() + "' needs a tenant in scope to use " + required + ": enter its tenant with "
          + "TenantContext.enter(...) before checking permissions");
    }
    if (!tenant.id().equals(principal.tenant())) {
      return new AccessDeniedException(AccessDeniedException.Reason.CROSS_TENANT, required.toString(), "'"
          + principal.subject() + "' of tenant " + principal.tenant() + " cannot act in the tenant in scope: a "
          + "principal acts only in its own tenant");
    }
    Set<Permission> held = frame.permissions(tenant.configuration());
    if (!RoleCatalog.allows(held, required)) {
      return new AccessDeniedException(AccessDeniedException.Reason.MISSING_PERMISSION, required.toString(), "'"
          + principal.subject() + "' (roles " + new TreeSet<>(principal.roles()) + ") lacks permission " + required
          + " in tenant " + tenant.slug() + "; grant it a role that includes " + required);
    }
    return null;
  }

  /** Records a denial of {@link Permissions}; a no-op without an audit log. */
  void audit(PrincipalFrame frame, Permission required, AccessDeniedException denial) {
    if (audit != null) {
      audit.record(IdentityAudit.accessDenied(frame.principal, required, denial,
          TenantContext.current().map(TenantInfo::id).orElse(null)));
    }
  }

  @Override
  public String toString() {
    return "AccessControl[" + roles + (audit == null ? "" : ", audited") + "]";
  }

  /** Builds an {@link AccessControl}. */
  public static final class Builder {
    private RoleCatalog roles = RoleCatalog.builtIn();
    private @Nullable AuditLog audit;

    private Builder() {
    }

    /**
     * @param catalog the roles and their permissions; {@link RoleCatalog#builtIn()} by default
     * @return this builder
     */
    public Builder roles(RoleCatalog catalog) {
      this.roles = Objects.requireNonNull(catalog, "catalog");
      return this;
    }

    /**
     * @param log where denials are recorded (category {@code SECURITY}); none by default
     * @return this builder
     */
    public Builder auditLog(AuditLog log) {
      this.audit = Objects.requireNonNull(log, "log");
      return this;
    }

    /** @return the access control */
    public AccessControl build() {
      return new AccessControl(roles, audit);
    }
  }
}
