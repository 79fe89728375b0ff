package dev.tenancy.core.spi;

import dev.tenancy.core.TenantId;
import java.time.Instant;
import java.util.Optional;

/**
 * Remembers revoked tokens (by {@code jti}) and revoked sessions of whole tenants (a not-before instant), for
 * {@code TenantTokenService}, which asks on every verification, cached tokens included.
 *
 * <p>Both lookups are on the request path: keep them cheap (an in-process map, or a shared store behind a short local
 * cache whose staleness you accept as the revocation delay). With several application instances the store must be
 * shared, or a token revoked on one instance stays valid on the others.
 *
 * <p>A store that cannot answer must throw rather than answer "not revoked": verification then fails closed.
 *
 * @since 0.1.0
 */
public interface TokenRevocationStore {

  /**
   * Revokes one token.
   *
   * @param tokenId the token's {@code jti}
   * @param expiresAt the token's expiry: after it the entry may be forgotten, since the token is refused anyway
   */
  void revokeToken(String tokenId, Instant expiresAt);

  /**
   * @param tokenId a token's {@code jti}
   * @return whether it was revoked
   */
  boolean isTokenRevoked(String tokenId);

  /**
   * Revokes every session of a tenant: every token of the tenant issued at or before {@code notBefore} is refused.
   * A later instant replaces an earlier one; an earlier one is ignored.
   *
   * @param tenant the tenant
   * @param notBefore tokens issued at or before this instant are refused
   */
  void revokeTenantSessions(TenantId tenant, Instant notBefore);

  /**
   * @param tenant a tenant
   * @return the instant at or before which the tenant's tokens are refused, if its sessions were ever revoked
   */
  Optional<Instant> findTenantNotBefore(TenantId tenant);
}
