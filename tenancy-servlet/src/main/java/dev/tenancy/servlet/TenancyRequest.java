package dev.tenancy.servlet;

import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.identity.TenantPrincipal;
import jakarta.servlet.ServletRequest;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code TenantFilter} learned about a request, kept as request attributes for the servlets behind it: the
 * verified principal, the tenant, the API version and the trace id.
 *
 * <pre>{@code
 * TenantPrincipal caller = TenancyRequest.principal(request).orElseThrow();
 * String version = TenancyRequest.apiVersion(request).orElse("v1");
 * }</pre>
 *
 * @since 0.1.0
 */
public final class TenancyRequest {

  /** Attribute holding the {@link TenantPrincipal} whose bearer token the filter verified. */
  public static final String PRINCIPAL = "dev.tenancy.servlet.principal";
  /** Attribute holding the resolved, serving {@link Tenant}. */
  public static final String TENANT = "dev.tenancy.servlet.tenant";
  /** Attribute holding the resolved tenant's {@link TenantInfo} (status and effective configuration). */
  public static final String TENANT_INFO = "dev.tenancy.servlet.tenantInfo";
  /** Attribute holding the API version the request is served with (a {@link String}). */
  public static final String API_VERSION = "dev.tenancy.servlet.apiVersion";
  /** Attribute holding the request's trace id (a {@link String}). */
  public static final String TRACE_ID = "dev.tenancy.servlet.traceId";

  private TenancyRequest() {
  }

  /**
   * @param request the request
   * @return the principal the filter verified; empty on public paths and outside the filter
   */
  public static Optional<TenantPrincipal> principal(ServletRequest request) {
    return attribute(request, PRINCIPAL, TenantPrincipal.class);
  }

  /**
   * @param request the request
   * @return the tenant the request acts in; empty on platform and public paths
   */
  public static Optional<Tenant> tenant(ServletRequest request) {
    return attribute(request, TENANT, Tenant.class);
  }

  /**
   * @param request the request
   * @return the tenant's info with its effective configuration; empty on platform and public paths
   */
  public static Optional<TenantInfo> tenantInfo(ServletRequest request) {
    return attribute(request, TENANT_INFO, TenantInfo.class);
  }

  /**
   * @param request the request
   * @return the API version the request is served with; empty when neither the tenant nor the filter sets one
   */
  public static Optional<String> apiVersion(ServletRequest request) {
    return attribute(request, API_VERSION, String.class);
  }

  /**
   * @param request the request
   * @return the request's trace id; empty outside the filter
   */
  public static Optional<String> traceId(ServletRequest request) {
    return attribute(request, TRACE_ID, String.class);
  }

  private static <T> Optional<T> attribute(ServletRequest request, String name, Class<T> type) {
    Object value = Objects.requireNonNull(request, "request").getAttribute(name);
    return type.isInstance(value) ? Optional.of(type.cast(value)) : Optional.empty();
  }
}
