package dev.tenancy.servlet;

import static dev.tenancy.servlet.TenantFilter.ACCESS_REASON_HEADER;
import static dev.tenancy.servlet.TenantFilter.TENANT_HEADER;

import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantSlug;
import dev.tenancy.core.alert.AlertCenter;
import dev.tenancy.core.alert.AlertKind;
import dev.tenancy.core.alert.AlertSeverity;
import dev.tenancy.core.audit.AuditActorType;
import dev.tenancy.core.audit.AuditCategory;
import dev.tenancy.core.audit.AuditEvent;
import dev.tenancy.core.audit.AuditLog;
import dev.tenancy.core.audit.AuditOutcome;
import dev.tenancy.core.identity.TenantPrincipal;
import dev.tenancy.core.lifecycle.TenantService;
import dev.tenancy.servlet.resolve.TenantResolver;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which tenant a verified request acts in: the caller's own, agreed by every resolver of the chain, or for a platform
 * operator the one {@code X-Tenant-ID} names, with a reason. Refusals are written as problems; a cross-tenant attempt
 * is also audited and alerted.
 */
final class TenantResolution {

  static final int MAX_REASON_LENGTH = 500;
  private static final Logger LOG = LoggerFactory.getLogger(TenantResolution.class);

  private final TenantService tenants;
  private final List<TenantResolver> resolvers;
  private final @Nullable AuditLog audit;
  private final @Nullable AlertCenter alerts;

  TenantResolution(TenantService tenants, List<TenantResolver> resolvers, @Nullable AuditLog audit,
      @Nullable AlertCenter alerts) {
    this.tenants = tenants;
    this.resolvers = List.copyOf(resolvers);
    this.audit = audit;
    this.alerts = alerts;
  }

  List<TenantResolver> resolvers() {
    return resolvers;
  }


  /** The caller's own tenant, after checking that every source that names a tenant names this one. */
  @Nullable Tenant ownTenant(HttpServletRequest request, HttpServletResponse response,
      TenantPrincipal principal, String traceId) {
    TenantId own = Objects.requireNonNull(principal.tenant());
    Optional<Tenant> found = tenants.find(own);
    if (found.isEmpty()) {
      response.setHeader("WWW-Authenticate", "Bearer");
      Refusal.send(request, response, ProblemType.INVALID_TOKEN, "The bearer token is invalid, expired or not trusted.");
      return null;
    }
    Tenant tenant = found.get();
    for (TenantResolver resolver : resolvers) {
      Optional<String> named = resolver.resolve(request, principal);
      if (named.isPresent() && !names(tenant, named.get())) {
        crossTenant(request, response, principal, tenant, resolver.source(), named.get(), traceId);
        return null;
      }
    }
    return tenant;
  }

  /** The tenant a platform operator acts in: named by the tenant header, with a reason, agreed by every source. */
  @Nullable Tenant platformTarget(HttpServletRequest request, HttpServletResponse response,
      TenantPrincipal principal) {
    String named = request.getHeader(TENANT_HEADER);
    String reason = request.getHeader(ACCESS_REASON_HEADER);
    if (named == null || named.isBlank() || reason == null || reason.isBlank()) {
      Refusal.send(request, response, ProblemType.FORBIDDEN, "A platform operator acts in a tenant only with both "
          + TENANT_HEADER + " and " + ACCESS_REASON_HEADER + " headers.");
      return null;
    }
    if (reason.length() > MAX_REASON_LENGTH) {
      Refusal.send(request, response, ProblemType.FORBIDDEN, ACCESS_REASON_HEADER + " must be at most "
          + MAX_REASON_LENGTH + " characters.");
      return null;
    }
    Optional<Tenant> tenant = lookup(named.trim());
    if (tenant.isEmpty()) {
      Refusal.send(request, response, ProblemType.FORBIDDEN, "No serving tenant matches " + TENANT_HEADER + ".");
      return null;
    }
    for (TenantResolver resolver : resolvers) {
      Optional<String> other = resolver.resolve(request, principal);
      if (other.isPresent() && !names(tenant.get(), other.get())) {
        Refusal.send(request, response, Problem.of(ProblemType.CROSS_TENANT_ACCESS,
            "The request names more than one tenant (" + resolver.source() + " disagrees with " + TENANT_HEADER
                + ").").withInstance("urn:trace:" + TenancyRequest.traceId(request).orElse("")));
        return null;
      }
    }
    return tenant.get();
  }

  private Optional<Tenant> lookup(String reference) {
    if (TenantId.isValid(reference)) {
      return tenants.find(TenantId.of(reference));
    }
    String slug = reference.toLowerCase(Locale.ROOT);
    return TenantSlug.isValid(slug) ? tenants.findBySlug(TenantSlug.of(slug)) : Optional.empty();
  }

  /** Whether a raw reference (id or slug) names this tenant; compared without looking any other tenant up. */
  private static boolean names(Tenant tenant, String reference) {
    return reference.equalsIgnoreCase(tenant.id().toString()) || reference.equalsIgnoreCase(tenant.slug().value());
  }

  private void crossTenant(HttpServletRequest request, HttpServletResponse response, TenantPrincipal principal,
      Tenant tenant, String source, String named, String traceId) {
    if (audit != null) {
      try {
        audit.record(AuditEvent.builder(AuditCategory.SECURITY, "auth.cross_tenant_attempt")
            .tenant(tenant.id())
            .actor(AuditActorType.USER, principal.subject())
            .resource(request.getMethod() + " " + cut(RequestPath.of(request), 200))
            .outcome(AuditOutcome.DENIED)
            .traceId(traceId)
            .sourceAddress(request.getRemoteAddr())
            .detail("source", source)
            .detail("claimed", cut(named, 64))
            .build());
      } catch (RuntimeException e) {
        // The refusal stands whatever the audit does; a full queue must not turn a 403 into a 500.
        LOG.warn("Could not audit a cross-tenant attempt of tenant {}", tenant.id(), e);
      }
    }
    if (alerts != null) {
      alerts.raise(AlertKind.SECURITY, AlertSeverity.CRITICAL, tenant.id(), "cross-tenant:" + tenant.id(),
          "A request of tenant '" + tenant.slug() + "' (subject " + cut(principal.subject(), 64)
              + ") named another tenant through " + source);
    }
    // The path may carry the other tenant's name: the instance refers to the trace instead, so the response never
    // repeats another tenant's identifier.
    Refusal.send(request, response, Problem.of(ProblemType.CROSS_TENANT_ACCESS,
        "The request names a tenant other than the caller's (" + source + ").").withInstance("urn:trace:" + traceId));
  }

  static String cut(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max);
  }
}
