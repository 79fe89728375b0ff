package dev.tenancy.servlet.dashboard;

import dev.tenancy.core.EnvironmentOverrides;
import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantConfigurationResolver;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.TierCatalog;
import dev.tenancy.core.alert.AlertCenter;
import dev.tenancy.core.audit.AuditLog;
import dev.tenancy.core.health.CheckResult;
import dev.tenancy.core.health.TenantHealthChecks;
import dev.tenancy.core.identity.ApiKeyService;
import dev.tenancy.core.identity.InvalidTokenException;
import dev.tenancy.core.identity.TenantTokenService;
import dev.tenancy.core.identity.TokenAlgorithm;
import dev.tenancy.core.identity.TokenKey;
import dev.tenancy.core.lifecycle.NewTenant;
import dev.tenancy.core.lifecycle.TenantService;
import dev.tenancy.core.memory.InMemoryApiKeyStore;
import dev.tenancy.core.memory.InMemoryAuditSink;
import dev.tenancy.core.memory.InMemoryQuotaStore;
import dev.tenancy.core.memory.InMemoryTenantStore;
import dev.tenancy.core.metrics.TenantMetricsView;
import dev.tenancy.core.metrics.TenantRequestStats;
import dev.tenancy.core.quota.QuotaDecision;
import dev.tenancy.core.quota.QuotaManager;
import dev.tenancy.core.quota.QuotaPermit;
import dev.tenancy.core.spi.TenantHealthCheck;
import dev.tenancy.servlet.Problem;
import dev.tenancy.servlet.ProblemType;
import dev.tenancy.servlet.Problems;
import dev.tenancy.servlet.TenancyRequest;
import dev.tenancy.servlet.admin.TenantAdminServlet;
import dev.tenancy.servlet.auth.AuthTokenServlet;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The dashboard over the real admin API: {@link TenantAdminServlet} and {@link AuthTokenServlet} on in-memory core
 * services (tenants, API keys, HS256 tokens, quotas with the alert center's quota bridge), in an embedded Jetty 12.
 *
 * <p>Until the {@code TenantFilter} lands on this branch, a stand-in does its two jobs the test needs: verify the
 * bearer token on admin paths with the real {@link TenantTokenService} and set {@link TenancyRequest#PRINCIPAL}; and,
 * for a tenant's {@code GET /api/v1/me} (tenant named by {@code X-Tenant-ID}), refuse a non-serving tenant with 403
 * {@code tenant-suspended} and count the call through the real {@link QuotaManager}, which raises the 80 % alert.
 */
final class RealAdminStack implements AutoCloseable {

  private static final byte[] SECRET = "dashboard-it-secret-0123456789abcdefgh".getBytes(StandardCharsets.US_ASCII);

  final InMemoryAuditSink sink = new InMemoryAuditSink();
  final AuditLog audit = AuditLog.builder().sink(sink).build();
  final TenantService tenants = TenantService.builder().store(new InMemoryTenantStore())
      .resolver(TenantConfigurationResolver.of(TierCatalog.builtIn(), EnvironmentOverrides.none()))
      .listener(audit.lifecycleListener())
      .build();
  final ApiKeyService apiKeys = ApiKeyService.builder().store(new InMemoryApiKeyStore()).tenants(tenants)
      .auditLog(audit).build();
  final TenantTokenService tokens = TenantTokenService.builder().issuer("tenancy-test").audience("tenancy")
      .key(TokenKey.hmac("hs", TokenAlgorithm.HS256, SECRET)).signingKey("hs")
      .tenants(id -> tenants.find(id).map(tenants::info)).audit(audit).build();
  final AlertCenter alerts = AlertCenter.builder().build();
  final QuotaManager quotas = QuotaManager.builder().store(new InMemoryQuotaStore())
      .listener(alerts.quotaAlertListener()).build();
  final Map<TenantId, TenantRequestStats> stats = new ConcurrentHashMap<>();
  final TenantHealthChecks health = TenantHealthChecks.builder().tenants(tenants).check(new TenantHealthCheck() {
    @Override
    public String name() {
      return "database";
    }

    @Override
    public CheckResult check(Tenant tenant) {
      return CheckResult.up("schema reachable");
    }
  }).build();
  final String platformKey = apiKeys.createPlatformKey("ops", "dashboard browser test", null).secret();

  private final Server server;
  private final URI base;

  RealAdminStack(TenantDashboardServlet dashboard) throws Exception {
    TenantMetricsView metrics = new TenantMetricsView() {
      @Override
      public TenantRequestStats stats(TenantId tenant) {
        return stats.getOrDefault(tenant, TenantRequestStats.empty(tenant, 250L));
      }

      @Override
      public List<TenantRequestStats> all() {
        return List.copyOf(stats.values());
      }
    };
    TenantAdminServlet admin = TenantAdminServlet.builder().tenants(tenants).apiKeys(apiKeys).quotas(quotas)
        .audit(audit, sink).metrics(metrics).alerts(alerts).health(health).build();

    server = new Server(new InetSocketAddress("127.0.0.1", 0));
    ServletContextHandler context = new ServletContextHandler("/");
    context.addFilter(new FilterHolder(bearer()), "/api/v1/admin/*", EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(admin), "/api/v1/admin/*");
    context.addServlet(new ServletHolder(AuthTokenServlet.builder().apiKeys(apiKeys).tokens(tokens).build()),
        "/api/v1/auth/token");
    context.addServlet(new ServletHolder(tenantApi()), "/api/v1/me");
    context.addServlet(new ServletHolder(dashboard), "/admin/*");
    server.setHandler(context);
    server.start();
    base = URI.create("http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort());
  }

  Tenant create(String slug, String name, String tier, long apiCallsPerMonth, double p95Ms, long throttled) {
    Tenant tenant = tenants.create(NewTenant.of(slug, name).withTier(tier).withInitialStatus(TenantStatus.ACTIVE)
        .withLimits(Map.of("apiCallsPerMonth", apiCallsPerMonth)));
    stats.put(tenant.id(), new TenantRequestStats(tenant.id(), 1200, 3, p95Ms / 3, p95Ms, p95Ms * 1.5, throttled,
        250L));
    return tenant;
  }

  URI uri(String path) {
    return base.resolve(path);
  }

  private Filter bearer() {
    return (request, response, chain) -> {
      String header = ((HttpServletRequest) request).getHeader("Authorization");
      if (header != null && header.startsWith("Bearer ")) {
        try {
          request.setAttribute(TenancyRequest.PRINCIPAL, tokens.verify(header.substring(7)));
        } catch (InvalidTokenException refused) {
          // No principal: the admin servlet answers 401 invalid-token.
        }
      }
      chain.doFilter(request, response);
    };
  }

  private HttpServlet tenantApi() {
    return new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
        Tenant tenant = tenants.require(String.valueOf(req.getHeader("X-Tenant-ID")));
        if (!tenant.status().isServing()) {
          Problems.write(req, resp, Problem.of(ProblemType.TENANT_SUSPENDED, "This tenant is " + tenant.status()));
          return;
        }
        QuotaDecision decision = quotas.check(tenants.info(tenant));
        if (!decision.isAllowed()) {
          Problems.write(req, resp, Problem.of(ProblemType.QUOTA_EXCEEDED, "apiCallsPerMonth is used up"));
          return;
        }
        try (QuotaPermit permit = decision.permit()) {
          resp.setStatus(200);
        }
      }
    };
  }

  @Override
  public void close() throws Exception {
    server.stop();
    quotas.close();
    audit.close();
  }
}
