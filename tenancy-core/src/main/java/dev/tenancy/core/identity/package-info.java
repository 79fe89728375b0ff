/**
 * Identity inside and across tenants: verified {@link dev.tenancy.core.identity.TenantPrincipal}s from tenant-aware
 * tokens, per-tenant SSO issuers and API keys, and role-based access control within a tenant.
 */
@NullMarked
package dev.tenancy.core.identity;

import org.jspecify.annotations.NullMarked;
