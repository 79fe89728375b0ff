/**
 * Where a request's tenant comes from: the token claim, a header, the sub-domain, a path prefix; see
 * {@link dev.tenancy.servlet.resolve.TenantResolver}.
 *
 * <pre>{@code
 * List<TenantResolver> chain = List.of(TenantResolver.tokenClaim(), TenantResolver.header("X-Tenant-ID"));
 * }</pre>
 */
@NullMarked
package dev.tenancy.servlet.resolve;

import org.jspecify.annotations.NullMarked;
