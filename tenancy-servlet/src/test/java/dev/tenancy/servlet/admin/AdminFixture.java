package dev.tenancy.servlet.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tenancy.core.EnvironmentOverrides;
import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantConfigurationResolver;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TierCatalog;
import dev.tenancy.core.alert.AlertCenter;
import dev.tenancy.core.audit.AuditEvent;
import dev.tenancy.core.audit.AuditLog;
import dev.tenancy.core.audit.AuditRecord;
import dev.tenancy.core.data.BackupRefusedException;
import dev.tenancy.core.data.BackupSummary;
import dev.tenancy.core.data.MigrationState;
import dev.tenancy.core.data.MigrationStatusView;
import dev.tenancy.core.data.RestoreSummary;
import dev.tenancy.core.data.TenantBackups;
import dev.tenancy.core.data.TenantMigrationStatus;
import dev.tenancy.core.health.CheckResult;
import dev.tenancy.core.health.TenantHealthChecks;
import dev.tenancy.core.identity.ApiKeyService;
import dev.tenancy.core.identity.TenantTokenService;
import dev.tenancy.core.identity.TokenAlgorithm;
import dev.tenancy.core.identity.TokenKey;
import dev.tenancy.core.lifecycle.TenantService;
import dev.tenancy.core.memory.InMemoryApiKeyStore;
import dev.tenancy.core.memory.InMemoryAuditSink;
import dev.tenancy.core.memory.InMemoryQuotaStore;
import dev.tenancy.core.memory.InMemoryTenantStore;
import dev.tenancy.core.quota.QuotaManager;
import dev.tenancy.core.spi.TenantHealthCheck;
import dev.tenancy.core.TenantContext;
import dev.tenancy.servlet.TenantFilter;
import dev.tenancy.servlet.metrics.MicrometerTenantMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletResponse;
import dev.tenancy.servlet.auth.AuthTokenServlet;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A real Jetty 12 (ee10) on a random port: the real {@link TenantFilter} in front of the admin servlet, the token
 * servlet and a tenant-scoped {@code /api/v1/ping}, over in-memory core stores.
 */
final class AdminFixture implements AutoCloseable {

  static final ObjectMapper JSON = new ObjectMapper();
  static final byte[] SECRET = "admin-api-test-secret-0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  final InMemoryTenantStore tenantStore = new InMemoryTenantStore();
  final InMemoryAuditSink sink = new InMemoryAuditSink();
  final AuditLog audit = AuditLog.builder().sink(sink).build();
  final TenantService tenants = TenantService.builder().store(tenantStore)
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
  final FakeBackups backups = new FakeBackups();
  final FakeMigrations migrations = new FakeMigrations();
  final MicrometerTenantMetrics metrics = MicrometerTenantMetrics.builder().registry(new SimpleMeterRegistry())
      .alerts(alerts).build();
  /** Tenants whose "database" check fails. */
  final java.util.Set<TenantId> brokenDatabases = ConcurrentHashMap.newKeySet();
  final TenantHealthChecks health = TenantHealthChecks.builder().tenants(tenants).check(new TenantHealthCheck() {
    @Override
    public String name() {
      return "database";
    }

    @Override
    public CheckResult check(Tenant tenant) {
      return brokenDatabases.contains(tenant.id()) ? CheckResult.down("schema unreachable")
          : CheckResult.up("schema reachable").withFact("pool", "4/10");
    }

    @Override
    public Optional<CheckResult> checkPlatform(List<Tenant> all) {
      return Optional.of(CheckResult.up("all shards reachable").withFact("tenants", all.size()));
    }
  }).build();

  final String platformKey = apiKeys.createPlatformKey("ops", "test platform key", null).secret();
  final HttpClient client = HttpClient.newHttpClient();
  private final Server server;
  final URI base;

  AdminFixture() throws Exception {
    this(true);
  }

  /** @param full whether every optional service is wired; without, only the tenant service is */
  AdminFixture(boolean full) throws Exception {
    backups.tenants = tenants;
    TenantAdminServlet.Builder admin = TenantAdminServlet.builder().tenants(tenants);
    if (full) {
      admin.apiKeys(apiKeys).quotas(quotas).audit(audit, sink).backups(backups).migrations(migrations)
          .health(health).metrics(metrics).alerts(alerts).maxBodyBytes(1024 * 1024);
    }
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setPort(0);
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    // The real TenantFilter in front, with a body limit above the servlet's so that the servlet's own is tested.
    TenantFilter filter = TenantFilter.builder().tokens(tokens).tenants(tenants).quotas(quotas).audit(audit)
        .alerts(alerts).metrics(metrics).maxBodyBytes(4L * 1024 * 1024).build();
    context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain");
        response.getWriter().write("pong " + TenantContext.require().slug());
      }
    }), "/api/v1/ping");
    context.addServlet(new ServletHolder(admin.build()), "/api/v1/admin/*");
    context.addServlet(new ServletHolder(AuthTokenServlet.builder().apiKeys(apiKeys).tokens(tokens).build()),
        "/api/v1/auth/token");
    server.setHandler(context);
    server.start();
    base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
  }

  @Override
  public void close() throws Exception {
    server.stop();
    audit.close();
    quotas.close();
  }

  // ---------------------------------------------------------------- HTTP

  /** A platform_admin token, from the real token servlet. */
  String adminToken() throws Exception {
    return token(platformKey);
  }

  String token(String apiKey) throws Exception {
    HttpResponse<String> response = send(HttpRequest.newBuilder(base.resolve("/api/v1/auth/token"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"apiKey\":\"" + apiKey + "\"}")));
    if (response.statusCode() != 200) {
      throw new AssertionError("token exchange failed: " + response.statusCode() + " " + response.body());
    }
    return JSON.readTree(response.body()).get("accessToken").asText();
  }

  HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpRequest.Builder admin(String path, String token) {
    return HttpRequest.newBuilder(base.resolve("/api/v1/admin" + path)).header("Authorization", "Bearer " + token);
  }

  static JsonNode json(HttpResponse<String> response) throws IOException {
    return JSON.readTree(response.body());
  }

  /** Every stored audit event, oldest first per chain. */
  List<AuditEvent> events() {
    audit.flush();
    List<AuditEvent> events = new ArrayList<>();
    for (String chain : sink.chains()) {
      try (Stream<AuditRecord> records = sink.read(chain, 1, AuditRecord.MAX_SEQUENCE)) {
        records.forEach(r -> events.add(r.event()));
      }
    }
    return events;
  }

  // ---------------------------------------------------------------- fakes

  /** Backups kept in memory; a restore refuses exactly as TenantBackups documents. */
  static final class FakeBackups implements TenantBackups {
    final Map<TenantId, List<BackupSummary>> archives = new ConcurrentHashMap<>();
    /** A tenant whose restore finds the archive altered; another whose archive belongs to someone else. */
    volatile String tamperedId = "tampered";
    volatile TenantId otherTenant = TenantId.random();
    volatile TenantService tenants;
    /** Makes backup() fail with a message that must never reach the client. */
    volatile boolean failing;

    @Override
    public BackupSummary backup(TenantId tenant) {
      if (failing) {
        throw new IllegalStateException("SELECT secret FROM tenant_" + otherTenant + " failed");
      }
      BackupSummary summary = new BackupSummary("b-" + (archives.getOrDefault(tenant, List.of()).size() + 1),
          tenant, Instant.now(), new LinkedHashMap<>(Map.of("leads", 3L)), 3, "ab".repeat(32));
      archives.computeIfAbsent(tenant, t -> new ArrayList<>()).add(0, summary);
      return summary;
    }

    @Override
    public RestoreSummary restore(TenantId tenant, String backupId) {
      if (tenants.find(tenant).orElseThrow().status().isServing()) {
        throw new BackupRefusedException(tenant, backupId, BackupRefusedException.Reason.TENANT_SERVING, "serving");
      }
      if (backupId.equals(tamperedId)) {
        throw new BackupRefusedException(tenant, backupId, BackupRefusedException.Reason.TAMPERED,
            "manifest hash differs");
      }
      if (backupId.equals("foreign")) {
        throw new BackupRefusedException(tenant, backupId, BackupRefusedException.Reason.OTHER_TENANT,
            "the archive belongs to tenant " + otherTenant);
      }
      BackupSummary found = archives.getOrDefault(tenant, List.of()).stream()
          .filter(b -> b.backupId().equals(backupId)).findFirst()
          .orElseThrow(() -> new BackupRefusedException(tenant, backupId,
              BackupRefusedException.Reason.UNKNOWN_BACKUP, "no such archive"));
      return new RestoreSummary(found.backupId(), tenant, Instant.now(), found.tables(), 5, found.rows());
    }

    @Override
    public List<BackupSummary> list(TenantId tenant) {
      return List.copyOf(archives.getOrDefault(tenant, List.of()));
    }
  }

  /** Migration records set by the test. */
  static final class FakeMigrations implements MigrationStatusView {
    final List<TenantMigrationStatus> statuses = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public List<TenantMigrationStatus> statuses() {
      return List.copyOf(statuses);
    }

    @Override
    public Optional<TenantMigrationStatus> statusOf(TenantId tenant) {
      return statuses.stream().filter(s -> tenant.equals(s.tenant())).findFirst();
    }

    void add(TenantId tenant, MigrationState state, String error) {
      statuses.add(new TenantMigrationStatus(tenant.toString(), tenant, "tenant_" + tenant.toString()
          .substring(0, 8), state, "1", state == MigrationState.DONE ? "3" : "2", error, 1, "run-1",
          Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-01T00:01:00Z"), null,
          Instant.parse("2026-01-01T00:01:00Z"), 2));
    }
  }
}
