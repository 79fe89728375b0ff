package dev.tenancy.servlet.admin;

import static dev.tenancy.servlet.admin.AdminFixture.json;
import static dev.tenancy.servlet.admin.TenantAdminServletIT.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenancy.core.EnvironmentOverrides;
import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantConfigurationResolver;
import dev.tenancy.core.TierCatalog;
import dev.tenancy.core.identity.ApiKeyService;
import dev.tenancy.core.identity.TenantTokenService;
import dev.tenancy.core.identity.TokenAlgorithm;
import dev.tenancy.core.identity.TokenKey;
import dev.tenancy.core.lifecycle.NewTenant;
import dev.tenancy.core.lifecycle.TenantService;
import dev.tenancy.core.memory.InMemoryApiKeyStore;
import dev.tenancy.core.memory.InMemoryTenantStore;
import dev.tenancy.jdbc.SchemaPerTenant;
import dev.tenancy.jdbc.SqlIdentifiers;
import dev.tenancy.jdbc.TenantAwareDataSource;
import dev.tenancy.jdbc.backup.BackupKey;
import dev.tenancy.jdbc.backup.BackupRepository;
import dev.tenancy.jdbc.backup.JdbcTenantBackups;
import dev.tenancy.servlet.TenantFilter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.h2.jdbcx.JdbcDataSource;
import jakarta.servlet.DispatcherType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backup rows against the real {@link JdbcTenantBackups} on H2 with a schema per tenant: a restore over HTTP
 * changes only that tenant's rows, and the refusals (serving, altered archive) answer as documented.
 */
class AdminJdbcBackupsIT {

  @TempDir
  Path archives;

  private final String url = "jdbc:h2:mem:admin-backups-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
  private final InMemoryTenantStore store = new InMemoryTenantStore();
  private final TenantService tenants = TenantService.builder().store(store)
      .resolver(TenantConfigurationResolver.of(TierCatalog.builtIn(), EnvironmentOverrides.none())).build();
  private final ApiKeyService apiKeys = ApiKeyService.builder().store(new InMemoryApiKeyStore()).tenants(tenants)
      .build();
  private final TenantTokenService tokens = TenantTokenService.builder().issuer("t").audience("tenancy")
      .key(TokenKey.hmac("hs", TokenAlgorithm.HS256, AdminFixture.SECRET)).signingKey("hs")
      .tenants(id -> tenants.find(id).map(tenants::info)).build();
  private final HttpClient client = HttpClient.newHttpClient();
  private Server server;
  private URI base;
  private String token;
  private Tenant acme;
  private Tenant globex;

  @BeforeEach
  void start() throws Exception {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL(url);
    TenantAwareDataSource dataSource = TenantAwareDataSource.of(SchemaPerTenant.builder(h2)
        .platformSchema("PUBLIC").build());
    acme = tenants.create(NewTenant.of("acme", "Acme"));
    globex = tenants.create(NewTenant.of("globex", "Globex"));
    for (Tenant tenant : List.of(acme, globex)) {
      String schema = schema(tenant);
      sql("CREATE SCHEMA " + schema,
          "CREATE TABLE " + schema + ".leads (id BIGINT PRIMARY KEY, name VARCHAR(100) NOT NULL)",
          "INSERT INTO " + schema + ".leads VALUES (1, '" + tenant.slug() + " lead 1'), (2, '" + tenant.slug()
              + " lead 2')");
    }
    JdbcTenantBackups backups = JdbcTenantBackups.builder().dataSource(dataSource).tenants(store)
        .repository(BackupRepository.directory(archives)).key(BackupKey.of(new byte[32])).build();

    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.addFilter(new FilterHolder(TenantFilter.builder().tokens(tokens).tenants(tenants).build()), "/*",
        EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(TenantAdminServlet.builder().tenants(tenants).backups(backups).build()),
        "/api/v1/admin/*");
    server.setHandler(context);
    server.start();
    base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
    token = tokens.issue(apiKeys.authenticate(apiKeys.createPlatformKey("ops", "k", null).secret()),
        java.time.Duration.ofMinutes(5));
  }

  @AfterEach
  void stop() throws Exception {
    server.stop();
    sql("SHUTDOWN");
  }

  private static String schema(Tenant tenant) {
    return SqlIdentifiers.quote(SqlIdentifiers.tenantSchema("tenant_", tenant.slug()));
  }

  private void sql(String... statements) throws Exception {
    try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
      for (String s : statements) {
        statement.execute(s);
      }
    }
  }

  private List<String> names(Tenant tenant) throws Exception {
    List<String> names = new ArrayList<>();
    try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT name FROM " + schema(tenant) + ".leads ORDER BY id")) {
      while (rows.next()) {
        names.add(rows.getString(1));
      }
    }
    return names;
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return client.send(HttpRequest.newBuilder(base.resolve("/api/v1/admin" + path))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .POST(BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void restoreOverHttp_replacesOnlyThatTenantsRows_afterSuspend() throws Exception {
    HttpResponse<String> created = post("/tenants/acme/backups", "");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode backup = json(created);
    assertThat(backup.get("rows").asLong()).isEqualTo(2);
    assertThat(backup.get("sha256").asText()).matches("[0-9a-f]{64}");
    String backupId = backup.get("backupId").asText();

    sql("UPDATE " + schema(acme) + ".leads SET name = 'changed'", "DELETE FROM " + schema(globex) + ".leads WHERE id = 2");
    String restore = "{\"backupId\":\"" + backupId + "\"}";
    assertProblem(post("/tenants/acme/restore", restore), 409, "conflict");
    assertThat(names(acme)).containsOnly("changed");

    tenants.suspend(acme.id());
    HttpResponse<String> restored = post("/tenants/acme/restore", restore);
    assertThat(restored.statusCode()).as(restored.body()).isEqualTo(200);
    assertThat(json(restored).get("rowsRestored").asLong()).isEqualTo(2);
    assertThat(names(acme)).containsExactly("acme lead 1", "acme lead 2");
    assertThat(names(globex)).containsExactly("globex lead 1");
  }

  @Test
  void alteredArchive_422BackupRefused_nothingChanged() throws Exception {
    String backupId = json(post("/tenants/acme/backups", "")).get("backupId").asText();
    tenants.suspend(acme.id());
    sql("UPDATE " + schema(acme) + ".leads SET name = 'kept'");
    try (Stream<Path> files = Files.walk(archives)) {
      Path zip = files.filter(p -> p.getFileName().toString().equals(backupId + ".zip")).findFirst().orElseThrow();
      byte[] bytes = Files.readAllBytes(zip);
      bytes[bytes.length / 3] ^= 0x55;
      Files.write(zip, bytes);
    }
    HttpResponse<String> refused = post("/tenants/acme/restore", "{\"backupId\":\"" + backupId + "\"}");
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
    assertThat(json(refused).get("type").asText()).isEqualTo("https://tenancy.dev/problems/backup-refused");
    assertThat(refused.body()).doesNotContain(globex.id().toString(), "Exception");
    assertThat(names(acme)).containsOnly("kept");
    assertProblem(post("/tenants/acme/restore", "{\"backupId\":\"../" + globex.id() + "/x\"}"), 404, "not-found");
  }
}
