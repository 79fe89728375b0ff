package dev.tenancy.examples.admin;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tenancy.core.EnvironmentOverrides;
import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantContext;
import dev.tenancy.core.TenantConfigurationResolver;
import dev.tenancy.core.TierCatalog;
import dev.tenancy.core.alert.AlertCenter;
import dev.tenancy.core.audit.AuditKey;
import dev.tenancy.core.audit.AuditLog;
import dev.tenancy.core.health.TenantHealthChecks;
import dev.tenancy.core.identity.ApiKeyService;
import dev.tenancy.core.identity.InvalidApiKeyException;
import dev.tenancy.core.identity.TenantTokenService;
import dev.tenancy.core.identity.TokenAlgorithm;
import dev.tenancy.core.identity.TokenKey;
import dev.tenancy.core.lifecycle.TenantService;
import dev.tenancy.core.memory.InMemoryQuotaStore;
import dev.tenancy.core.quota.QuotaManager;
import dev.tenancy.core.spi.ProvisioningStep;
import dev.tenancy.core.spi.QuotaStore;
import dev.tenancy.crypto.DataKeyProvisioningStep;
import dev.tenancy.crypto.DevelopmentKekProvider;
import dev.tenancy.crypto.KeystoreKekProvider;
import dev.tenancy.crypto.TenantCipher;
import dev.tenancy.crypto.TenantKeys;
import dev.tenancy.crypto.jdbc.EncryptedColumns;
import dev.tenancy.crypto.jdbc.JdbcTenantKeyStore;
import dev.tenancy.crypto.spi.KeyEncryptionKeyProvider;
import dev.tenancy.jdbc.DatabasePerTenant;
import dev.tenancy.jdbc.IsolationStrategy;
import dev.tenancy.jdbc.RlsPolicies;
import dev.tenancy.jdbc.RowLevelSecurity;
import dev.tenancy.jdbc.SchemaPerTenant;
import dev.tenancy.jdbc.TenantAwareDataSource;
import dev.tenancy.jdbc.audit.JdbcAuditSink;
import dev.tenancy.jdbc.backup.BackupKey;
import dev.tenancy.jdbc.backup.BackupRepository;
import dev.tenancy.jdbc.backup.JdbcTenantBackups;
import dev.tenancy.jdbc.identity.JdbcApiKeyStore;
import dev.tenancy.jdbc.provisioning.CreateDatabaseStep;
import dev.tenancy.jdbc.provisioning.CreateSchemaStep;
import dev.tenancy.jdbc.store.JdbcTenantStore;
import dev.tenancy.jdbc.verify.DatabaseReachabilityCheck;
import dev.tenancy.redis.RedisQuotaStore;
import dev.tenancy.servlet.TenantFilter;
import dev.tenancy.servlet.admin.TenantAdminServlet;
import dev.tenancy.servlet.auth.AuthTokenServlet;
import dev.tenancy.servlet.dashboard.TenantDashboardServlet;
import dev.tenancy.servlet.metrics.MicrometerTenantMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.DispatcherType;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.EnumSet;
import java.util.Properties;
import java.util.UUID;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The example application: a multi-tenant real-estate CRM (agencies are tenants, agents work on leads) wired
 * explicitly from every Tenancy module and served by an embedded Jetty 12. Run it with {@code ./run-example}; the
 * settings are those of {@link AppConfig}.
 */
public final class AdminApp implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AdminApp.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  /** The app's tenant tables; under RLS shared by every tenant, with an {@code organization_id} column. */
  private static final java.util.List<String> SHARED_TABLES = java.util.List.of("leads", "app_users");

  private final Deque<AutoCloseable> resources = new ArrayDeque<>();
  private Server server;
  private int port;
  private String adminApiKey;
  private TenantService tenants;
  private ApiKeyService apiKeys;
  private LeadStore leads;
  private javax.sql.DataSource platformDataSource;

  private AdminApp() {
  }

  /**
   * Starts the example from environment variables and flags, and blocks until the JVM stops.
   *
   * @param args flags, see {@link AppConfig}
   * @throws Exception if it cannot start
   */
  public static void main(String[] args) throws Exception {
    AppConfig config;
    try {
      config = AppConfig.from(System.getenv(), args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    AdminApp app = start(config, System.out);
    Runtime.getRuntime().addShutdownHook(new Thread(app::close, "tenancy-example-shutdown"));
    app.server.join();
  }

  /**
   * Wires everything and starts serving; prints the listening line (and generated secrets) to {@code out}.
   *
   * @param config the settings
   * @param out where the start-up lines go
   * @return the running app; close it to stop
   * @throws Exception if a part cannot start; whatever was started is closed again
   */
  public static AdminApp start(AppConfig config, PrintStream out) throws Exception {
    AdminApp app = new AdminApp();
    try {
      app.wire(config, out);
      return app;
    } catch (Exception | Error e) {
      app.close();
      throw e;
    }
  }

  private void wire(AppConfig config, PrintStream out) throws Exception {
    Path dataDir = Path.of("data");
    boolean memory = "h2:mem".equals(config.dbUrl());
    Properties secrets = memory ? randomSecrets() : persistentSecrets(dataDir);

    // Databases: the platform pool holds Tenancy's own tables; tenant data goes through the tenant-aware source.
    String isolation = config.effectiveIsolation();
    if (!isolation.equals("schema") && !config.postgres()) {
      throw new IllegalArgumentException("TENANCY_ISOLATION=" + isolation + " needs PostgreSQL: set "
          + "TENANCY_DB_URL=jdbc:postgresql://…");
    }
    String url = memory ? "jdbc:h2:mem:tenancy-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1"
        : config.dbUrl() != null ? config.dbUrl()
        : "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("tenancy").toString().replace('\\', '/');
    HikariDataSource platform = own(pool(url, config.dbUser(), "TENANCY_DB_PASSWORD", "tenancy-platform"));
    HikariDataSource tenantPool;
    IsolationStrategy strategy;
    ProvisioningStep dataStep = null;
    boolean shared = isolation.equals("rls");
    if (shared) {
      sharedTables(platform, config.dbAppUser());
      tenantPool = own(pool(url, config.dbAppUser(), "TENANCY_DB_APP_PASSWORD", "tenancy-app"));
      refuseUnsafeRole(tenantPool);
      strategy = RowLevelSecurity.builder(tenantPool).build();
    } else if (isolation.equals("database")) {
      // The platform pool also creates and drops the tenant databases, so its role needs CREATEDB.
      tenantPool = null;
      CreateDatabaseStep databases = databaseStep(config, url, platform);
      // Small pools that keep no idle connection: at most 50 × 4 connections, few while tenants are quiet.
      DatabasePerTenant perTenant = DatabasePerTenant.builder(tenant -> {
        HikariConfig pool = poolConfig(databases.url(tenant.slug()), config.dbUser(), "TENANCY_DB_PASSWORD",
            "tenancy-" + databases.databaseName(tenant.slug()));
        pool.setMaximumPoolSize(4);
        pool.setMinimumIdle(0);
        return new HikariDataSource(pool);
      }).maximumPools(50).platformDataSource(platform).build();
      strategy = perTenant;
      dataStep = new EvictingDatabaseStep(databases, perTenant);
    } else {
      tenantPool = platform;
      strategy = SchemaPerTenant.builder(platform).schemaPrefix("tenant_")
          .platformSchema(config.postgres() ? "public" : "PUBLIC").build();
      dataStep = CreateSchemaStep.builder().dataSource(platform).schemaPrefix("tenant_")
          .locations("classpath:db/tenant").build();
    }
    TenantAwareDataSource data = own(TenantAwareDataSource.of(strategy));
    platformDataSource = platform;

    // Audit first: every other service records into it.
    JdbcAuditSink sink;
    if (shared) {
      // The owner could disable the append-only trigger: records are written as the application role, which the
      // owner grants INSERT and SELECT only.
      HikariDataSource auditPool = own(pool(url, config.dbAppUser(), "TENANCY_DB_APP_PASSWORD", "tenancy-audit"));
      sink = JdbcAuditSink.builder().dataSource(auditPool).migrationDataSource(platform).build();
    } else {
      sink = JdbcAuditSink.builder().dataSource(platform).build();
    }
    AuditLog audit = own(AuditLog.builder().sink(sink).key(AuditKey.of(secret(secrets, "audit"))).build());
    own(TenantContext.addPlatformAccessListener(audit.platformAccessListener()));

    // Envelope encryption: one data key per tenant, wrapped by the KEK.
    KeyEncryptionKeyProvider kek = kek(config, memory || config.dbUrl() != null ? null : dataDir, secrets, out);
    TenantKeys keys = TenantKeys.builder(kek, JdbcTenantKeyStore.builder().dataSource(platform).build()).build();
    EncryptedColumns columns = EncryptedColumns.of(TenantCipher.of(keys));

    JdbcTenantStore store = own(JdbcTenantStore.builder().dataSource(platform).build());
    TenantService.Builder service = TenantService.builder().store(store)
        .resolver(TenantConfigurationResolver.of(TierCatalog.builtIn(), EnvironmentOverrides.none()))
        .listener(audit.lifecycleListener());
    if (dataStep != null) {
      service.step(dataStep);
    } else {
      service.step(new SharedRowsStep(platform, SHARED_TABLES));
    }
    tenants = service.step(new DataKeyProvisioningStep(keys)).build();

    apiKeys = ApiKeyService.builder().store(JdbcApiKeyStore.builder().dataSource(platform).build()).tenants(tenants)
        .auditLog(audit).build();
    adminApiKey = platformKey(config, out);

    byte[] jwtSecret;
    if (config.jwtSecret() != null) {
      jwtSecret = config.jwtSecret().getBytes(StandardCharsets.UTF_8);
    } else {
      jwtSecret = new byte[32];
      RANDOM.nextBytes(jwtSecret);
      String text = Base64.getUrlEncoder().withoutPadding().encodeToString(jwtSecret);
      out.println("JWT secret generated (set TENANCY_JWT_SECRET to keep tokens valid across restarts): "
          + text.substring(0, 4) + "…" + text.substring(text.length() - 2));
    }
    TenantTokenService tokens = TenantTokenService.builder().issuer(config.jwtIssuer()).audience("tenancy")
        .key(TokenKey.hmac("hs256", TokenAlgorithm.HS256, jwtSecret)).signingKey("hs256")
        .tenants(id -> tenants.find(id).map(tenants::info)).audit(audit).build();

    AlertCenter alerts = AlertCenter.builder().build();
    QuotaStore quotaStore = config.redisUrl() != null
        ? own(RedisQuotaStore.builder().uri(config.redisUrl()).build()) : new InMemoryQuotaStore();
    QuotaManager quotas = own(QuotaManager.builder().store(quotaStore)
        .listener(alert -> {
          // Threshold crossings go to the dashboard's alerts and into the tenant's audit trail.
          alerts.quotaAlertListener().onAlert(alert);
          audit.quotaAlertListener().onAlert(alert);
        }).build());
    MicrometerTenantMetrics metrics = MicrometerTenantMetrics.builder().registry(new SimpleMeterRegistry())
        .alerts(alerts).build();
    DatabaseReachabilityCheck.Builder reachability = DatabaseReachabilityCheck.builder(data);
    if (tenantPool != null) {
      reachability.pool(tenantPool);
    }
    TenantHealthChecks health = TenantHealthChecks.builder().tenants(tenants).check(reachability.build()).build();

    Path archives = memory ? Files.createTempDirectory("tenancy-backups") : dataDir.resolve("backups");
    Files.createDirectories(archives);
    JdbcTenantBackups backups = JdbcTenantBackups.builder().dataSource(data).tenants(store)
        .repository(BackupRepository.directory(archives)).key(BackupKey.of(secret(secrets, "backup"))).build();

    leads = new LeadStore(data, columns, shared);

    TenantFilter filter = TenantFilter.builder().tokens(tokens).tenants(tenants).quotas(quotas).audit(audit)
        .alerts(alerts).metrics(metrics).build();
    TenantAdminServlet admin = TenantAdminServlet.builder().tenants(tenants).apiKeys(apiKeys).quotas(quotas)
        .audit(audit, sink).backups(backups).health(health).metrics(metrics).alerts(alerts).build();

    server = new Server();
    own(() -> server.stop());
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(config.port());
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(admin), "/api/v1/admin/*");
    context.addServlet(new ServletHolder(AuthTokenServlet.builder().apiKeys(apiKeys).tokens(tokens).build()),
        "/api/v1/auth/token");
    context.addServlet(new ServletHolder(TenantDashboardServlet.builder().build()), "/admin/*");
    context.addServlet(new ServletHolder(new MeServlet()), "/api/v1/me");
    context.addServlet(new ServletHolder(new LeadsServlet(leads, audit)), "/api/v1/leads/*");
    context.addServlet(new ServletHolder(new UsersServlet(apiKeys, leads)), "/api/v1/users");
    server.setHandler(context);
    server.start();
    port = connector.getLocalPort();

    if (config.demo()) {
      Demo.provision(this, out);
    }
    out.println("Tenancy example listening on http://127.0.0.1:" + port);
    out.flush();
  }

  /** @return the port the app serves on */
  public int port() {
    return port;
  }

  /** @return the platform-admin API key in effect */
  public String adminApiKey() {
    return adminApiKey;
  }

  TenantService tenants() {
    return tenants;
  }

  ApiKeyService apiKeys() {
    return apiKeys;
  }

  LeadStore leads() {
    return leads;
  }

  /** The raw platform pool, for tests that look under the API (never for tenant data). */
  javax.sql.DataSource platformDataSource() {
    return platformDataSource;
  }

  /** Stops serving and closes every pool, store and background task, the last started first. */
  @Override
  public synchronized void close() {
    while (!resources.isEmpty()) {
      try {
        resources.pop().close();
      } catch (Exception e) {
        LOG.warn("Could not close a resource cleanly", e);
      }
    }
  }

  private <T extends AutoCloseable> T own(T resource) {
    resources.push(resource);
    return resource;
  }

  private static HikariDataSource pool(String url, String user, String passwordVariable, String name) {
    HikariConfig config = poolConfig(url, user, passwordVariable, name);
    config.setMaximumPoolSize(10);
    return new HikariDataSource(config);
  }

  private static HikariConfig poolConfig(String url, String user, String passwordVariable, String name) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    if (user != null) {
      config.setUsername(user);
      String password = System.getenv(passwordVariable);
      if (password != null) {
        config.setPassword(password);
      }
    }
    config.setPoolName(name);
    return config;
  }

  /**
   * The database-per-tenant provisioning: databases named prefix plus slug on the server of {@code url}, migrated
   * with the same tenant migrations as the schema mode, as the configured owner.
   */
  private static CreateDatabaseStep databaseStep(AppConfig config, String url, HikariDataSource platform) {
    CreateDatabaseStep.Builder step = CreateDatabaseStep.builder().adminDataSource(platform)
        .urlTemplate(databaseUrlTemplate(url)).databasePrefix(config.dbPrefix()).locations("classpath:db/tenant");
    if (config.dbUser() != null) {
      step.credentials(config.dbUser(), System.getenv("TENANCY_DB_PASSWORD"));
    }
    return step.build();
  }

  /** {@code jdbc:postgresql://host:5432/crm?ssl=true} becomes {@code jdbc:postgresql://host:5432/{database}?ssl=true}. */
  static String databaseUrlTemplate(String url) {
    String scheme = "jdbc:postgresql://";
    int query = url.indexOf('?');
    int end = query < 0 ? url.length() : query;
    int slash = url.lastIndexOf('/', end - 1);
    if (!url.startsWith(scheme) || slash < scheme.length() || slash == end - 1) {
      throw new IllegalArgumentException("TENANCY_ISOLATION=database needs TENANCY_DB_URL to name a database, e.g. "
          + "jdbc:postgresql://host:5432/tenancy; got '" + url.substring(0, end) + "'");
    }
    return url.substring(0, slash + 1) + CreateDatabaseStep.DATABASE_PLACEHOLDER + url.substring(end);
  }

  /**
   * Creates a tenant's database; on purge closes its pool first, so no idle connection of the app outlives the
   * database (the drop would end them anyway, and the pool would keep failing on them).
   */
  private record EvictingDatabaseStep(CreateDatabaseStep databases, DatabasePerTenant pools)
      implements ProvisioningStep {

    @Override
    public String name() {
      return databases.name();
    }

    @Override
    public void provision(Tenant tenant) throws Exception {
      databases.provision(tenant);
    }

    @Override
    public void deprovision(Tenant tenant) throws Exception {
      pools.evict(tenant.id());
      databases.deprovision(tenant);
    }
  }

  /**
   * The shared tables of the RLS mode, migrated and secured by the owner; the application role may only read and
   * write rows of the tenant its connection is bound to.
   */
  private static void sharedTables(HikariDataSource owner, String appRole) throws SQLException {
    if (!appRole.matches("[a-z_][a-z0-9_]{0,62}")) {
      throw new IllegalArgumentException("TENANCY_DB_APP_USER must be a plain lower-case role name, got '" + appRole
          + "'");
    }
    try (Connection connection = owner.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + appRole
          + "') THEN CREATE ROLE " + appRole + " LOGIN NOSUPERUSER NOBYPASSRLS; END IF; END $$");
      statement.execute("GRANT USAGE ON SCHEMA public TO " + appRole);
    }
    Flyway.configure().dataSource(owner).locations("classpath:db/shared").table("crm_schema_history")
        .baselineOnMigrate(true).baselineVersion("0").load().migrate();
    try (Connection connection = owner.getConnection()) {
      RlsPolicies.builder().tables(SHARED_TABLES).applicationRole(appRole).build().apply(connection);
    }
  }

  /** PostgreSQL skips every policy for a superuser, a BYPASSRLS role or the tables' owner: refuse to start so. */
  private static void refuseUnsafeRole(HikariDataSource appPool) throws SQLException {
    try (Connection connection = appPool.getConnection(); Statement statement = connection.createStatement();
        java.sql.ResultSet row = statement.executeQuery("SELECT r.rolsuper OR r.rolbypassrls OR EXISTS (SELECT 1 "
            + "FROM pg_tables t WHERE t.tablename = 'leads' AND t.tableowner = current_user), current_user "
            + "FROM pg_roles r WHERE r.rolname = current_user")) {
      if (row.next() && row.getBoolean(1)) {
        throw new IllegalStateException("The application role '" + row.getString(2) + "' is a superuser, has "
            + "BYPASSRLS or owns the tables, so row-level security would not apply: set TENANCY_DB_APP_USER to a "
            + "plain role (and do not put user= in TENANCY_DB_URL)");
      }
    }
  }

  /**
   * The KEK: the configured keystore; for the default H2 files a development keystore next to the data (so leads
   * written in one run are readable in the next); otherwise the library's development KEK, with its warning.
   */
  private static KeyEncryptionKeyProvider kek(AppConfig config, Path localDataDir, Properties secrets,
      PrintStream out) throws Exception {
    if (config.masterKeyFile() == null && localDataDir != null) {
      Path file = localDataDir.resolve("dev-kek.p12");
      char[] password = secrets.getProperty("kek").toCharArray();
      if (!Files.exists(file)) {
        java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
        store.load(null, password);
        javax.crypto.KeyGenerator generator = javax.crypto.KeyGenerator.getInstance("AES");
        generator.init(256, RANDOM);
        store.setEntry("dev-kek", new java.security.KeyStore.SecretKeyEntry(generator.generateKey()),
            new java.security.KeyStore.PasswordProtection(password));
        try (var outFile = Files.newOutputStream(file)) {
          store.store(outFile, password);
        }
      }
      out.println("WARNING: development KEK in " + file.toAbsolutePath() + ", next to the data it protects; set "
          + "TENANCY_MASTER_KEY_FILE for anything but a demo");
      return KeystoreKekProvider.open(file, password, "dev-kek");
    }
    if (config.masterKeyFile() == null) {
      return DevelopmentKekProvider.create();
    }
    String password = System.getenv().getOrDefault("TENANCY_MASTER_KEY_PASSWORD", "");
    String alias = System.getenv().getOrDefault("TENANCY_MASTER_KEY_ALIAS", "tenancy-kek");
    return KeystoreKekProvider.open(Path.of(config.masterKeyFile()), password.toCharArray(), alias);
  }

  private String platformKey(AppConfig config, PrintStream out) {
    if (config.adminApiKey() != null) {
      try {
        apiKeys.authenticate(config.adminApiKey());
      } catch (InvalidApiKeyException unknown) {
        apiKeys.importPlatformKey(config.adminApiKey(), "admin", "TENANCY_ADMIN_API_KEY");
      }
      return config.adminApiKey();
    }
    String key = apiKeys.createPlatformKey("admin", "generated at start", null).secret();
    out.println("Platform admin API key (shown once): " + key);
    return key;
  }

  private static Properties randomSecrets() {
    Properties secrets = new Properties();
    for (String name : new String[] {"audit", "backup", "kek"}) {
      byte[] bytes = new byte[32];
      RANDOM.nextBytes(bytes);
      secrets.setProperty(name, Base64.getEncoder().encodeToString(bytes));
    }
    return secrets;
  }

  /** Audit and backup keys kept next to the data, so chains and archives still verify after a restart. */
  private static Properties persistentSecrets(Path dataDir) throws IOException {
    Path file = dataDir.resolve("secrets.properties");
    Properties secrets = new Properties();
    if (Files.exists(file)) {
      try (var in = Files.newInputStream(file)) {
        secrets.load(in);
      }
      return secrets;
    }
    Files.createDirectories(dataDir);
    secrets = randomSecrets();
    try (var outFile = Files.newOutputStream(file)) {
      secrets.store(outFile, "Tenancy example: audit and backup keys. Keep private; losing them breaks verification.");
    }
    return secrets;
  }

  private static byte[] secret(Properties secrets, String name) {
    return Base64.getDecoder().decode(secrets.getProperty(name));
  }
}
