package dev.tenancy.core.identity;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A token whose signature and claims were checked, as the verification cache keeps it. What can change after that —
 * revocation, the tenant's status, an SSO issuer's binding and keys — is checked again on every use.
 *
 * @param principal who the token proves
 * @param issuedAt its {@code iat}, compared with the tenant's revocation instant
 * @param expiresAt its {@code exp}: the entry is never used after it
 * @param sso the SSO issuer it came from, or {@code null} for the service's own tokens
 * @param key the key that verified it (for SSO tokens: it must still be in the issuer's key set)
 */
record VerifiedToken(TenantPrincipal principal, Instant issuedAt, Instant expiresAt, @Nullable SsoIssuer sso,
    VerificationKey key) {
}
