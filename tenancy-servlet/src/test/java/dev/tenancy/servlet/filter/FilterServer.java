package dev.tenancy.servlet.filter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tenancy.core.EnvironmentOverrides;
import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantConfigurationResolver;
import dev.tenancy.core.TenantContext;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.Tier;
import dev.tenancy.core.TierCatalog;
import dev.tenancy.core.alert.AlertCenter;
import dev.tenancy.core.audit.AuditEvent;
import dev.tenancy.core.audit.AuditLog;
import dev.tenancy.core.audit.AuditRecord;
import dev.tenancy.core.identity.PrincipalContext;
import dev.tenancy.core.identity.PrincipalKind;
import dev.tenancy.core.identity.TenantPrincipal;
import dev.tenancy.core.identity.TenantTokenService;
import dev.tenancy.core.identity.TokenAlgorithm;
import dev.tenancy.core.identity.TokenKey;
import dev.tenancy.core.lifecycle.NewTenant;
import dev.tenancy.core.lifecycle.TenantService;
import dev.tenancy.core.memory.InMemoryAuditSink;
import dev.tenancy.core.memory.InMemoryQuotaStore;
import dev.tenancy.core.memory.InMemoryTenantStore;
import dev.tenancy.core.quota.QuotaManager;
import dev.tenancy.core.spi.QuotaStore;
import dev.tenancy.servlet.TenancyRequest;
import dev.tenancy.servlet.TenantFilter;
import dev.tenancy.servlet.metrics.MicrometerTenantMetrics;
import dev.tenancy.servlet.resolve.TenantResolver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.MDC;

/**
 * An embedded Jetty 12 (ee10) serving {@link TenantFilter} in front of an echo servlet, with real core services
 * behind it: in-memory tenant store, quota store and audit sink, HS256 tokens. Test requests go over real HTTP.
 */
final class FilterServer implements AutoCloseable {

  static final String ISSUER = "tenancy-test";
  static final byte[] SECRET = "0123456789abcdef0123456789abcdef-test-secret".getBytes(StandardCharsets.UTF_8);
  static final ObjectMapper JSON = new ObjectMapper();

  final InMemoryAuditSink auditSink = new InMemoryAuditSink();
  final AuditLog audit = AuditLog.builder().sink(auditSink).build();
  final TenantService tenants = TenantService.builder()
      .store(new InMemoryTenantStore())
      .resolver(TenantConfigurationResolver.of(TierCatalog.builder()
          .tier(new Tier("test", Map.of("slaP95Millis", 1000L), Map.of()))
          .build(), EnvironmentOverrides.none()))
      .build();
  final AlertCenter alerts = AlertCenter.builder().build();
  final QuotaManager quotas;
  final TenantTokenService tokens = tokens(ISSUER, null);
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final MicrometerTenantMetrics metrics = MicrometerTenantMetrics.builder().registry(registry).alerts(alerts).build();
  /** Requests that reached the application. */
  final AtomicInteger handled = new AtomicInteger();
  /** Held by {@code /api/v1/slow} until released. */
  volatile CountDownLatch gate = new CountDownLatch(0);
  final AtomicInteger waiting = new AtomicInteger();

  private final Server server;
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;

  FilterServer() throws Exception {
    this(new InMemoryQuotaStore());
  }

  FilterServer(QuotaStore quotaStore) throws Exception {
    quotas = QuotaManager.builder().store(quotaStore).listener(alerts.quotaAlertListener()).build();
    TenantFilter filter = TenantFilter.builder()
        .tokens(tokens)
        .tenants(tenants)
        .quotas(quotas)
        .audit(audit)
        .alerts(alerts)
        .metrics(metrics)
        .resolvers(TenantResolver.tokenClaim(), TenantResolver.header("X-Tenant-ID"),
            TenantResolver.pathPrefix("/api/v1/t/"))
        .apiVersions("2025-01", "2024-06", "2025-01", "2025-06")
        .build();
    QueuedThreadPool threads = new QueuedThreadPool(16, 4);
    server = new Server(threads);
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(new EchoServlet()), "/*");
    server.setHandler(context);
    server.start();
    base = "http://127.0.0.1:" + connector.getLocalPort();
  }

  private TenantTokenService tokens(String issuer, java.time.@org.jspecify.annotations.Nullable Clock clock) {
    TenantTokenService.Builder builder = TenantTokenService.builder()
        .issuer(issuer)
        .audience("tenancy")
        .key(TokenKey.hmac("k1", TokenAlgorithm.HS256, SECRET))
        .signingKey("k1")
        .tenants(id -> tenants.find(id).map(tenants::info))
        .audit(audit);
    if (clock != null) {
      builder.clock(clock);
    }
    return builder.build();
  }

  Tenant tenant(String slug, Map<String, Long> limits) {
    return tenants.create(NewTenant.of(slug, slug.toUpperCase()).withTier("test").withLimits(limits));
  }

  Tenant tenant(NewTenant request) {
    return tenants.create(request.withTier("test"));
  }

  TenantInfo info(Tenant tenant) {
    return tenants.info(tenants.find(tenant.id()).orElseThrow());
  }

  String token(Tenant tenant, String subject) {
    return tokens.issue(new TenantPrincipal(tenant.id(), subject, Set.of("agent"), PrincipalKind.USER, null, null,
        null), Duration.ofMinutes(15));
  }

  String platformToken(String subject) {
    return tokens.issue(new TenantPrincipal(null, subject, Set.of(TenantPrincipal.PLATFORM_ADMIN),
        PrincipalKind.PLATFORM, null, null, null), Duration.ofMinutes(15));
  }

  /** A token signed correctly but by another issuer. */
  String foreignIssuerToken(Tenant tenant) {
    return tokens("someone-else", null).issue(new TenantPrincipal(tenant.id(), "mallory", Set.of("agent"),
        PrincipalKind.USER, null, null, null), Duration.ofMinutes(15));
  }

  /** A token that expired an hour ago. */
  String expiredToken(Tenant tenant) {
    java.time.Clock past = java.time.Clock.fixed(java.time.Instant.now().minus(Duration.ofHours(2)),
        java.time.ZoneOffset.UTC);
    return tokens(ISSUER, past).issue(new TenantPrincipal(tenant.id(), "alice", Set.of("agent"), PrincipalKind.USER,
        null, null, null), Duration.ofMinutes(15));
  }

  HttpResponse<String> get(String path, String token, String... headers) throws Exception {
    return send(request(path, token, headers).GET().build());
  }

  URI baseUri() {
    return URI.create(base);
  }

  HttpRequest.Builder request(String path, String token, String... headers) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    for (int i = 0; i < headers.length; i += 2) {
      builder.header(headers[i], headers[i + 1]);
    }
    return builder;
  }

  HttpResponse<String> send(HttpRequest request) throws Exception {
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  java.util.concurrent.CompletableFuture<HttpResponse<String>> sendAsync(HttpRequest request) {
    return client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode json(HttpResponse<String> response) throws IOException {
    return JSON.readTree(response.body());
  }

  List<AuditEvent> auditEvents(String action) {
    audit.flush();
    return auditSink.chains().stream()
        .flatMap(chain -> {
          try (Stream<AuditRecord> records = auditSink.read(chain, 1, AuditRecord.MAX_SEQUENCE)) {
            return records.toList().stream();
          }
        })
        .map(AuditRecord::event)
        .filter(e -> e.action().equals(action))
        .toList();
  }

  @Override
  public void close() throws Exception {
    server.stop();
    audit.close();
    quotas.close();
  }

  /** Echoes what the filter established, as JSON; a few paths misbehave on purpose. */
  private final class EchoServlet extends HttpServlet {
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
      String path = request.getRequestURI();
      if (path.startsWith("/api/")) {
        handled.incrementAndGet();
      }
      if (path.equals("/api/v1/boom")) {
        throw new IllegalStateException("SELECT secret FROM tenant_other WHERE id = 42");
      }
      if (path.equals("/api/v1/slow")) {
        waiting.incrementAndGet();
        try {
          gate.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      long bodyBytes = 0;
      if ("POST".equals(request.getMethod())) {
        try (InputStream in = request.getInputStream()) {
          bodyBytes = in.transferTo(java.io.OutputStream.nullOutputStream());
        }
      }
      Map<String, Object> echo = new LinkedHashMap<>();
      echo.put("tenant", TenantContext.current().map(t -> t.id().toString()).orElse(null));
      echo.put("platform", TenantContext.isPlatform());
      echo.put("principal", PrincipalContext.current().map(TenantPrincipal::subject).orElse(null));
      echo.put("mdcTenant", MDC.get(TenantContext.MDC_KEY));
      echo.put("mdcTrace", MDC.get(TenantFilter.MDC_TRACE_ID));
      echo.put("apiVersion", TenancyRequest.apiVersion(request).orElse(null));
      echo.put("traceId", TenancyRequest.traceId(request).orElse(null));
      echo.put("thread", Thread.currentThread().getName());
      echo.put("bodyBytes", bodyBytes);
      response.setContentType("application/json");
      response.getWriter().write(JSON.writeValueAsString(echo));
    }
  }
}
