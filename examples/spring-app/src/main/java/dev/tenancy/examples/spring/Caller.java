package dev.tenancy.examples.spring;

import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.identity.TenantPrincipal;
import dev.tenancy.servlet.ProblemType;
import dev.tenancy.servlet.TenancyRequest;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Who is calling and for which agency, as the starter's {@code TenantFilter} established it from the verified token.
 * Controllers take it as a method parameter ({@link CallerArgumentResolver}); nothing reads a header to find the
 * tenant.
 *
 * @param tenant the agency the request is for
 * @param principal the verified caller
 * @param traceId the request's trace id, if any
 * @param sourceAddress the client's address
 */
public record Caller(TenantInfo tenant, TenantPrincipal principal, @Nullable String traceId, String sourceAddress) {

  /** Roles that may read leads. */
  public static final Set<String> READ_ROLES = Set.of("viewer", "agent", "tenant_admin");
  /** Roles that may change leads. */
  public static final Set<String> WRITE_ROLES = Set.of("agent", "tenant_admin");

  /** Checks the parts. */
  public Caller {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(sourceAddress, "sourceAddress");
  }

  /**
   * The caller of a request the filter let through.
   *
   * @param request the request
   * @return the caller
   * @throws IllegalStateException if the filter did not run for this request (a wiring error, answered 500)
   */
  static Caller of(HttpServletRequest request) {
    TenantInfo tenant = TenancyRequest.tenantInfo(request).orElseThrow(
        () -> new IllegalStateException("TenantFilter is not in front of " + request.getRequestURI()));
    TenantPrincipal principal = TenancyRequest.principal(request).orElseThrow(
        () -> new IllegalStateException("TenantFilter left no principal for " + request.getRequestURI()));
    return new Caller(tenant, principal, TenancyRequest.traceId(request).orElse(null), request.getRemoteAddr());
  }

  /**
   * @param roles the roles that may do it
   * @throws ProblemException {@code 403 forbidden} unless the caller has one of them (or is the platform admin)
   */
  public void requireAnyRole(Set<String> roles) {
    if (principal.isPlatform() || principal.roles().stream().anyMatch(roles::contains)) {
      return;
    }
    throw new ProblemException(ProblemType.FORBIDDEN, "This needs one of the roles " + new TreeSet<>(roles));
  }
}
