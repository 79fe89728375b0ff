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
import dev.tenancy.core.identity.PrincipalKind;
import dev.tenancy.core.identity.TenantPrincipal;
import dev.tenancy.core.identity.TenantTokenService;
import dev.tenancy.core.identity.TokenAlgorithm;
import dev.tenancy.core.identity.TokenKey;
import dev.tenancy.core.lifecycle.NewTenant;
import dev.tenancy.core.lifecycle.TenantService;
import dev.tenancy.core.memory.InMemoryApiKeyStore;
import dev.tenancy.core.memory.InMemoryAuditSink;
import dev.tenancy.core.memory.InMemoryQuotaStore;
import dev.tenancy.core.memory.InMemoryTenantStore;
import dev.tenancy.core.quota.QuotaManager;
import dev.tenancy.core.spi.TenantHealthCheck;
import dev.tenancy.servlet.TenancyRequest;
import dev.tenancy.servlet.TenantFilter;
import dev.tenancy.servlet.admin.TenantAdminServlet;
import dev.tenancy.servlet.auth.AuthTokenServlet;
import dev.tenancy.servlet.metrics.MicrometerTenantMetrics;
import dev.tenancy.servlet.resolve.TenantResolver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The dashboard over the real stack: {@link TenantFilter} (HS256 tokens, resolution, serving status, rate limit,
 * quota, metrics), {@link TenantAdminServlet}, {@link AuthTokenServlet} and {@link MicrometerTenantMetrics} on
 * in-memory core services, in an embedded Jetty 12, with a one-endpoint tenant application ({@code GET /api/v1/me})
 * whose simulated work time per tenant the test sets, so p95 against the tier's SLA target is real.
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
  final MicrometerTenantMetrics metrics = MicrometerTenantMetrics.builder().registry(new SimpleMeterRegistry())
      .alerts(alerts).build();
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
  /** Simulated work per tenant in {@code GET /api/v1/me}, in milliseconds. */
  final Map<TenantId, Long> workMillis = new ConcurrentHashMap<>();

  private final Server server;
  private final URI base;
  private final HttpClient http = HttpClient.newHttpClient();

  RealAdminStack(TenantDashboardServlet dashboard) throws Exception {
    TenantFilter filter = TenantFilter.builder().tokens(tokens).tenants(tenants).quotas(quotas).audit(audit)
        .alerts(alerts).metrics(metrics)
        .resolvers(TenantResolver.tokenClaim(), TenantResolver.header(TenantFilter.TENANT_HEADER))
        .build();
    TenantAdminServlet admin = TenantAdminServlet.builder().tenants(tenants).apiKeys(apiKeys).quotas(quotas)
        .audit(audit, sink).metrics(metrics).alerts(alerts).health(health).build();

    server = new Server(new InetSocketAddress("127.0.0.1", 0));
    ServletContextHandler context = new ServletContextHandler("/");
    context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(admin), "/api/v1/admin/*");
    context.addServlet(new ServletHolder(AuthTokenServlet.builder().apiKeys(apiKeys).tokens(tokens).build()),
        "/api/v1/auth/token");
    context.addServlet(new ServletHolder(tenantApp()), "/api/v1/me");
    context.addServlet(new ServletHolder(dashboard), "/admin/*");
    server.setHandler(context);
    server.start();
    base = URI.create("http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort());
  }

  Tenant create(String slug, String name, String tier, Map<String, Long> limits) {
    return tenants.create(NewTenant.of(slug, name).withTier(tier).withInitialStatus(TenantStatus.ACTIVE)
        .withLimits(limits));
  }

  /** One request of the tenant's own user through the filter, with a token the real token service issued. */
  HttpResponse<String> tenantRequest(String slug) throws Exception {
    Tenant tenant = tenants.require(slug);
    String token = tokens.issue(new TenantPrincipal(tenant.id(), "agent-1", Set.of("agent"), PrincipalKind.USER,
        null, null, null), Duration.ofMinutes(5));
    return http.send(HttpRequest.newBuilder(base.resolve("/api/v1/me")).header("Authorization", "Bearer " + token)
        .GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  URI uri(String path) {
    return base.resolve(path);
  }

  private HttpServlet tenantApp() {
    return new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Tenant tenant = TenancyRequest.tenant(req).orElseThrow();
        long work = workMillis.getOrDefault(tenant.id(), 0L);
        if (work > 0) {
          // Simulated request work, so the filter's latency histogram has something to measure.
          LockSupport.parkNanos(Duration.ofMillis(work).toNanos());
        }
        resp.setContentType("application/json");
        resp.getWriter().write("{\"tenant\":{\"slug\":\"" + tenant.slug().value() + "\"}}");
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
