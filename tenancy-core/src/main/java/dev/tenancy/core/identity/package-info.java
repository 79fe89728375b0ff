/**
 * Identity inside and across tenants: verified {@link dev.tenancy.core.identity.TenantPrincipal}s from tenant-aware
 * tokens, per-tenant SSO issuers and API keys, and role-based access control within a tenant.
 *
 * <p>Tokens: {@link dev.tenancy.core.identity.TenantTokenService} issues and verifies them with configured
 * {@link dev.tenancy.core.identity.TokenKey}s; a refused token is an
 * {@link dev.tenancy.core.identity.InvalidTokenException} carrying an
 * {@link dev.tenancy.core.identity.InvalidTokenReason}. Tenants' own OpenID Connect issuers are bound to their tenant
 * in an {@link dev.tenancy.core.identity.SsoIssuerRegistry}.
 *
 * <pre>{@code
 * TenantTokenService tokens = TenantTokenService.builder()
 *     .issuer("https://api.example.com").audience("tenancy")
 *     .key(TokenKey.hmac("2025-01", TokenAlgorithm.HS256, secret))
 *     .tenants(id -> tenantService.find(id).map(tenantService::info))
 *     .ssoIssuers(sso)
 *     .audit(audit)
 *     .build();
 * try {
 *   TenantPrincipal caller = tokens.verify(bearerToken, request.getRemoteAddr(), traceId);
 * } catch (InvalidTokenException e) {
 *   // 401 invalid-token; e.reason() is already in the audit trail
 * }
 * }</pre>
 *
 * <p><b>API keys and RBAC.</b> {@link dev.tenancy.core.identity.ApiKeyService} issues keys (shown once, stored as a
 * SHA-256 hash) and exchanges a presented key for a principal; {@link dev.tenancy.core.identity.AccessControl} binds
 * that principal to the thread, and {@link dev.tenancy.core.identity.Permissions} checks it against the roles of
 * {@link dev.tenancy.core.identity.RoleCatalog}:
 *
 * <pre>{@code
 * TenantPrincipal caller = apiKeys.authenticate(presentedKey);     // InvalidApiKeyException → 401
 * try (TenantScope tenant = TenantContext.enter(tenantInfoOf(caller));             // the caller's own tenant
 *      PrincipalScope scope = accessControl.enter(caller)) {
 *   Permissions.require("leads:write");                             // AccessDeniedException → 403
 * }
 * }</pre>
 */
@NullMarked
package dev.tenancy.core.identity;

import org.jspecify.annotations.NullMarked;
