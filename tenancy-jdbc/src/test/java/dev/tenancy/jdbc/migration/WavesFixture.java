package dev.tenancy.jdbc.migration;

import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantConfiguration;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantSlug;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.memory.InMemoryTenantStore;
import dev.tenancy.jdbc.SqlIdentifiers;
import dev.tenancy.jdbc.provisioning.CreateSchemaStep;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Tenants provisioned at release 1 by {@link CreateSchemaStep}, each in its own schema of one database, and helpers to
 * break, repair and inspect them: what every waves test starts from. Release 1 ({@link #V1}) creates {@code notes};
 * release 2 ({@link #V2}) adds {@code attachments} and fails in a schema that already holds a table of that name.
 */
final class WavesFixture {

  static final String V1 = "classpath:dev/tenancy/jdbc/migration/v1";
  static final String V2 = "classpath:dev/tenancy/jdbc/migration/v2";

  final DataSource admin;
  final String prefix;
  final InMemoryTenantStore store = new InMemoryTenantStore();
  final List<Tenant> tenants = new ArrayList<>();

  /**
   * @param admin the database's admin DataSource
   * @param prefix the schema prefix
   * @param count how many tenants, slugs {@code tenant-001}, {@code tenant-002}, …
   */
  WavesFixture(DataSource admin, String prefix, int count) throws Exception {
    this.admin = admin;
    this.prefix = prefix;
    for (int i = 1; i <= count; i++) {
      Tenant tenant = tenant(String.format(Locale.ROOT, "tenant-%03d", i), TenantStatus.ACTIVE);
      store.insert(tenant);
      tenants.add(tenant);
    }
    provision(tenants);
  }

  /**
   * Provisions tenants at release 1. On H2, each with {@link CreateSchemaStep}, as the application does. On PostgreSQL
   * only the first one, and the others get a copy of its tables and Flyway history (with {@code LIKE … INCLUDING
   * ALL}): the same state, minus a Flyway start per tenant, which would make the 200-tenant test slow to set up.
   */
  void provision(List<Tenant> which) throws Exception {
    if (which.size() > 1 && !h2()) {
      provisionWithFlyway(which.subList(0, 1));
      String model = SqlIdentifiers.quote(schema(which.get(0)));
      StringBuilder copies = new StringBuilder();
      for (Tenant tenant : which.subList(1, which.size())) {
        String copy = SqlIdentifiers.quote(schema(tenant));
        copies.append("CREATE SCHEMA ").append(copy).append(";\n")
            .append("CREATE TABLE ").append(copy).append(".notes (LIKE ").append(model).append(".notes INCLUDING ALL);\n")
            .append("CREATE TABLE ").append(copy).append(".flyway_schema_history (LIKE ").append(model)
            .append(".flyway_schema_history INCLUDING ALL);\n")
            .append("INSERT INTO ").append(copy).append(".flyway_schema_history SELECT * FROM ").append(model)
            .append(".flyway_schema_history;\n");
      }
      execute(copies.toString());
      return;
    }
    provisionWithFlyway(which);
  }

  private void provisionWithFlyway(List<Tenant> which) throws Exception {
    CreateSchemaStep step = CreateSchemaStep.builder().dataSource(admin).schemaPrefix(prefix).locations(V1).build();
    ExecutorService threads = Executors.newFixedThreadPool(h2() ? 1 : 4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (Tenant tenant : which) {
        done.add(threads.submit(() -> {
          step.provision(tenant);
          return null;
        }));
      }
      for (Future<?> future : done) {
        future.get();
      }
    } finally {
      threads.shutdown();
    }
  }

  static Tenant tenant(String slug, TenantStatus status) {
    Instant now = Instant.now();
    return new Tenant(TenantId.random(), TenantSlug.of(slug), "Tenant " + slug, status,
        TenantConfiguration.ofTier("free"), now, now, 0L, null);
  }

  Tenant tenant(int number) {
    return tenants.get(number - 1);
  }

  String schema(Tenant tenant) {
    return SqlIdentifiers.tenantSchema(prefix, tenant.slug());
  }

  /** @return waves over these tenants' schemas with both releases and the given store */
  MigrationWaves.Builder waves(dev.tenancy.jdbc.spi.MigrationStatusStore statuses) {
    return MigrationWaves.builder()
        .tenants(store)
        .schemas(admin)
        .prefix(prefix)
        .locations(V1, V2)
        .statusStore(statuses);
  }

  /** Puts an object in the tenant's schema that release 2 cannot create over. */
  void breakRelease2(Tenant tenant) throws SQLException {
    execute("CREATE TABLE " + SqlIdentifiers.quote(schema(tenant)) + ".attachments (clash INTEGER)");
  }

  /** Removes what {@link #breakRelease2} put there, as an operator would. */
  void repair(Tenant tenant) throws SQLException {
    execute("DROP TABLE " + SqlIdentifiers.quote(schema(tenant)) + ".attachments");
  }

  /** @return whether release 2's table (not the clashing one) exists in the tenant's schema */
  boolean hasRelease2(Tenant tenant) throws SQLException {
    return "1".equals(single("SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = '"
        + schema(tenant) + "' AND LOWER(table_name) = 'attachments' AND LOWER(column_name) = 'note_id'"));
  }

  /** @return the highest successful version in the tenant's history, or {@code null} */
  @Nullable String appliedVersion(Tenant tenant) throws SQLException {
    return single("SELECT MAX(\"version\") FROM " + SqlIdentifiers.quote(schema(tenant))
        + ".\"flyway_schema_history\" WHERE \"success\"");
  }

  boolean h2() throws SQLException {
    try (Connection connection = admin.getConnection()) {
      return "H2".equals(connection.getMetaData().getDatabaseProductName());
    }
  }

  void execute(String sql) throws SQLException {
    try (Connection connection = admin.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute(sql);
      if (!connection.getAutoCommit()) {
        connection.commit();
      }
    }
  }

  @Nullable String single(String sql) throws SQLException {
    try (Connection connection = admin.getConnection(); Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      return result.next() ? result.getString(1) : null;
    }
  }
}
