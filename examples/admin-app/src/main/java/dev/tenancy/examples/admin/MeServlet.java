package dev.tenancy.examples.admin;

import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.identity.TenantPrincipal;
import dev.tenancy.servlet.ProblemType;
import dev.tenancy.servlet.TenancyRequest;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/** {@code GET /api/v1/me}: who the caller is, in which tenant, with the tenant's current feature flags. */
final class MeServlet extends HttpServlet {

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    Optional<TenantInfo> tenant = TenancyRequest.tenantInfo(request);
    Optional<TenantPrincipal> principal = TenancyRequest.principal(request);
    if (tenant.isEmpty() || principal.isEmpty()) {
      Http.problem(request, response, ProblemType.NOT_FOUND, "No tenant: call with a tenant token, or as platform "
          + "admin with X-Tenant-ID and X-Access-Reason");
      return;
    }
    TenantInfo info = tenant.get();
    Map<String, Object> body = new LinkedHashMap<>();
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("id", info.id().toString());
    t.put("slug", info.slug().value());
    t.put("tier", info.configuration().tier());
    t.put("status", info.status().name());
    body.put("tenant", t);
    body.put("subject", principal.get().subject());
    body.put("roles", new TreeSet<>(principal.get().roles()));
    body.put("features", info.configuration().features());
    body.put("apiVersion", TenancyRequest.apiVersion(request).orElse(info.configuration().apiVersion()));
    Http.write(response, 200, body);
  }
}
