package dev.tenancy.servlet.resolve;

import dev.tenancy.core.identity.TenantPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One source that may name the tenant of a request: the verified token's {@code org_id}, a header, the sub-domain or
 * a path prefix. {@code TenantFilter} asks every resolver of its chain, in order; all that answer must name the same
 * tenant (and the caller's own), else the request is refused as a cross-tenant attempt.
 *
 * <p>A resolver only reads the request: it returns the raw reference (a tenant id or a slug) and never looks the
 * tenant up, so a reference to another tenant can be refused without revealing whether that tenant exists.
 *
 * <pre>{@code
 * TenantFilter filter = TenantFilter.builder()
 *     .resolvers(TenantResolver.tokenClaim(), TenantResolver.header("X-Tenant-ID"),
 *         TenantResolver.subdomain("example.com"), TenantResolver.pathPrefix("/api/v1/t/"))
 *     …
 * }</pre>
 *
 * @since 0.1.0
 */
public interface TenantResolver {

  /**
   * Reads the tenant reference this source carries.
   *
   * @param request the request
   * @param principal the caller verified from the bearer token, or {@code null} on paths without one
   * @return the tenant's id (UUID text) or slug as the request names it; empty when this source names none
   */
  Optional<String> resolve(HttpServletRequest request, @Nullable TenantPrincipal principal);

  /** @return a short name of the source for audit events and logs, e.g. {@code header:X-Tenant-ID} */
  String source();

  /**
   * The verified token's {@code org_id} claim (empty for a platform principal).
   *
   * @return the resolver
   */
  static TenantResolver tokenClaim() {
    return ClaimTenantResolver.INSTANCE;
  }

  /**
   * A request header carrying the tenant's id or slug.
   *
   * @param name the header name, e.g. {@code X-Tenant-ID}
   * @return the resolver
   */
  static TenantResolver header(String name) {
    return new HeaderTenantResolver(name);
  }

  /**
   * The first label of the host under a base domain: {@code acme.example.com} names {@code acme} for base domain
   * {@code example.com}; the base domain itself and other hosts name none.
   *
   * @param baseDomain the domain tenants are sub-domains of
   * @return the resolver
   */
  static TenantResolver subdomain(String baseDomain) {
    return new SubdomainTenantResolver(baseDomain);
  }

  /**
   * The path segment after a prefix: with prefix {@code /api/v1/t/}, {@code /api/v1/t/acme/leads} names
   * {@code acme}. The path is taken without the context path.
   *
   * @param prefix the prefix, starting and ending with {@code /}
   * @return the resolver
   */
  static TenantResolver pathPrefix(String prefix) {
    return new PathTenantResolver(prefix);
  }
}
