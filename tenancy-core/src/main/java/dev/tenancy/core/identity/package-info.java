/**
 * Identity inside and across tenants: verified {@link dev.tenancy.core.identity.TenantPrincipal}s from tenant-aware
 * tokens, per-tenant SSO issuers and API keys, and role-based access control within a tenant.
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
