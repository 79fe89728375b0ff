package dev.tenancy.core.identity;

import dev.tenancy.core.TenantId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Who is calling, as verified: the subject, the tenant it acts in (none for a platform operator), its roles, and where
 * the proof came from. Produced by {@code TenantTokenService.verify} and by API-key exchange; checked by RBAC.
 *
 * @param tenant the tenant the principal belongs to, or {@code null} for a {@link PrincipalKind#PLATFORM} principal
 * @param subject the user or client id ({@code sub})
 * @param roles the roles held in that tenant (or {@code platform_admin})
 * @param kind how it authenticated
 * @param tokenId the token's {@code jti}, or {@code null} if it did not come from a token
 * @param issuer the token's issuer, or {@code null}
 * @param expiresAt when the proof expires, or {@code null}
 * @since 0.1.0
 */
public record TenantPrincipal(@Nullable TenantId tenant, String subject, Set<String> roles, PrincipalKind kind,
    @Nullable String tokenId, @Nullable String issuer, @Nullable Instant expiresAt) {

  /** The platform role: acts across tenants, and inside one only through {@code TenantContext.asPlatform}. */
  public static final String PLATFORM_ADMIN = "platform_admin";

  /**
   * Checks the parts and copies the roles.
   *
   * @throws IllegalArgumentException if the subject is blank, a platform principal names a tenant, or a tenant
   *     principal holds {@value #PLATFORM_ADMIN}
   */
  public TenantPrincipal {
    if (Objects.requireNonNull(subject, "subject").isBlank()) {
      throw new IllegalArgumentException("subject must not be blank");
    }
    roles = Set.copyOf(Objects.requireNonNull(roles, "roles"));
    Objects.requireNonNull(kind, "kind");
    if (kind == PrincipalKind.PLATFORM && tenant != null) {
      throw new IllegalArgumentException("a platform principal acts in no tenant; enter one with "
          + "TenantContext.asPlatform(actor, reason, tenant, …)");
    }
    if (kind != PrincipalKind.PLATFORM && tenant == null) {
      throw new IllegalArgumentException("a " + kind + " principal must belong to a tenant");
    }
    if (kind != PrincipalKind.PLATFORM && roles.contains(PLATFORM_ADMIN)) {
      throw new IllegalArgumentException("role " + PLATFORM_ADMIN + " belongs to platform principals only; "
          + "a tenant's principal can never hold it");
    }
  }

  /** @return the tenant, unless this is a platform principal */
  public Optional<TenantId> findTenant() {
    return Optional.ofNullable(tenant);
  }

  /**
   * @param role a role name
   * @return whether the principal holds it
   */
  public boolean hasRole(String role) {
    return roles.contains(role);
  }

  /** @return whether this is a platform operator */
  public boolean isPlatform() {
    return kind == PrincipalKind.PLATFORM;
  }
}
