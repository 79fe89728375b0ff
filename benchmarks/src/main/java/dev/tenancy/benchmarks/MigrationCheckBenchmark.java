package dev.tenancy.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantConfiguration;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantSlug;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.memory.InMemoryTenantStore;
import dev.tenancy.jdbc.SqlIdentifiers;
import dev.tenancy.jdbc.migration.JdbcMigrationStatusStore;
import dev.tenancy.jdbc.migration.MigrationReport;
import dev.tenancy.jdbc.migration.MigrationWaves;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * A load measurement (a main class, not JMH: one measured operation takes from a tenth of a second to minutes) of the
 * no-op migration check — every tenant already current — over N schema tenants on PostgreSQL, against Flyway's own
 * per-tenant calls as the baseline, in the same run on the same database:
 *
 * <ul>
 *   <li><b>waves p=1 / p=4</b> — {@link MigrationWaves#run()} with its fast check (history table read and compared
 *       with the migrations Flyway resolves once per run), parallelism 1 and 4, statuses in
 *       {@link JdbcMigrationStatusStore}: the whole run, listing, probe and status read included; over all N tenants.
 *   <li><b>waves, Flyway per tenant, p=4</b> — the same run with {@code fastCheck(false)}: Flyway's {@code migrate()}
 *       on every tenant through the waves, as a run without the fast check would be.
 *   <li><b>Flyway info() / migrate() per tenant, sequential</b> — what a hand-written loop over the tenants does,
 *       with a Flyway instance configured per tenant as {@code CreateSchemaStep} configures it.
 * </ul>
 *
 * The tenants carry ten migrations each (five tables, indexes, two later column changes), written to a temporary
 * directory. The first tenant is migrated by Flyway; the others get a copy of its tables and history
 * ({@code LIKE … INCLUDING ALL}), which is the same state without N Flyway runs of set-up. Flyway baselines run over
 * {@code min(N, 200)} tenants (they take seconds per hundred) and report tenants per second.
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar dev.tenancy.benchmarks.MigrationCheckBenchmark 200,1000 5
 * </pre>
 *
 * Arguments: the tenant counts (default {@code 200,1000}) and the repetitions of each waves measurement (default 5;
 * the median and the best are printed). Needs the PostgreSQL the integration tests use ({@link BenchDatabase}).
 */
public final class MigrationCheckBenchmark {

  private static final String PREFIX = "tenant_";
  private static final int BASELINE_SAMPLE = 200;
  private static final String[] MIGRATIONS = {
      "V1__customers.sql", "CREATE TABLE customers (id UUID PRIMARY KEY, name VARCHAR(200) NOT NULL,"
          + " created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now());",
      "V2__contacts.sql", "CREATE TABLE contacts (id UUID PRIMARY KEY, customer_id UUID NOT NULL,"
          + " email VARCHAR(320) NOT NULL);",
      "V3__contacts_index.sql", "CREATE INDEX contacts_customer_idx ON contacts (customer_id);",
      "V4__leads.sql", "CREATE TABLE leads (id UUID PRIMARY KEY, contact_id UUID, source VARCHAR(50));",
      "V5__deals.sql", "CREATE TABLE deals (id UUID PRIMARY KEY, customer_id UUID NOT NULL, amount NUMERIC(12, 2));",
      "V6__deals_index.sql", "CREATE INDEX deals_customer_idx ON deals (customer_id);",
      "V7__activities.sql", "CREATE TABLE activities (id UUID PRIMARY KEY, deal_id UUID, note TEXT);",
      "V8__lead_score.sql", "ALTER TABLE leads ADD COLUMN score INTEGER NOT NULL DEFAULT 0;",
      "V9__deal_stage.sql", "ALTER TABLE deals ADD COLUMN stage VARCHAR(30) NOT NULL DEFAULT 'new';",
      "V10__welcome.sql", "INSERT INTO customers (id, name) VALUES ('00000000-0000-4000-8000-000000000001',"
          + " 'Welcome, ${tenant_slug}');"};
  private static final List<String> TABLES = List.of("customers", "contacts", "leads", "deals", "activities");

  private MigrationCheckBenchmark() {
  }

  /**
   * Runs the measurement.
   *
   * @param args tenant counts (comma-separated) and repetitions
   * @throws Exception if the database cannot be set up
   */
  public static void main(String[] args) throws Exception {
    int[] counts = Arrays.stream((args.length > 0 ? args[0] : "200,1000").split(","))
        .mapToInt(Integer::parseInt).toArray();
    int repetitions = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Path scripts = writeMigrations();
    String location = "filesystem:" + scripts;
    System.out.printf(Locale.ROOT, "%-42s %8s %10s %10s %12s%n", "measurement", "tenants", "median ms", "best ms",
        "tenants/s");
    for (int count : counts) {
      try (BenchDatabase database = BenchDatabase.create()) {
        HikariDataSource pool = database.pool(BenchDatabase.ADMIN_USER, 8);
        InMemoryTenantStore tenants = new InMemoryTenantStore();
        List<Tenant> all = createTenants(database, pool, tenants, count, location);
        JdbcMigrationStatusStore statuses = JdbcMigrationStatusStore.builder().dataSource(pool).build();
        MigrationWaves.Builder waves = MigrationWaves.builder().tenants(tenants).schemas(pool).prefix(PREFIX)
            .locations(location).statusStore(statuses);
        // The first run records every tenant DONE; from then on a run has nothing to write.
        expectNoOp(waves.parallelism(4).build().run(), count);

        measureWaves("waves, fast check, p=1", waves.parallelism(1).build(), count, repetitions);
        measureWaves("waves, fast check, p=4", waves.parallelism(4).build(), count, repetitions);
        List<Tenant> sample = all.subList(0, Math.min(count, BASELINE_SAMPLE));
        measureOnce("Flyway info() per tenant, sequential", sample.size(), () -> {
          for (Tenant tenant : sample) {
            MigrationInfo[] pending = flyway(pool, tenant, location).load().info().pending();
            check(pending.length == 0, "tenant " + tenant.slug() + " has pending migrations");
          }
        });
        measureOnce("Flyway migrate() per tenant, sequential", sample.size(), () -> {
          for (Tenant tenant : sample) {
            MigrateResult result = flyway(pool, tenant, location).load().migrate();
            check(result.migrationsExecuted == 0, "tenant " + tenant.slug() + " was not current");
          }
        });
        if (count <= BASELINE_SAMPLE) {
          MigrationWaves slow = waves.parallelism(4).fastCheck(false).build();
          measureOnce("waves, Flyway migrate() per tenant, p=4", count, () -> expectNoOp(slow.run(), count));
          waves.fastCheck(true);
        }
      }
    }
  }

  private static void measureWaves(String name, MigrationWaves waves, int count, int repetitions) {
    List<Long> nanos = new ArrayList<>();
    expectNoOp(waves.run(), count);   // warm-up
    for (int i = 0; i < repetitions; i++) {
      long start = System.nanoTime();
      expectNoOp(waves.run(), count);
      nanos.add(System.nanoTime() - start);
    }
    Collections.sort(nanos);
    print(name, count, nanos.get(nanos.size() / 2), nanos.get(0));
  }

  private static void measureOnce(String name, int count, Runnable work) {
    long start = System.nanoTime();
    work.run();
    long took = System.nanoTime() - start;
    print(name, count, took, took);
  }

  private static void print(String name, int count, long median, long best) {
    System.out.printf(Locale.ROOT, "%-42s %8d %10.1f %10.1f %12.0f%n", name, count, median / 1e6, best / 1e6,
        count / (median / 1e9));
  }

  private static void expectNoOp(MigrationReport report, int count) {
    check(report.complete() && report.migrated() == 0 && report.upToDate() == count,
        "expected a no-op over " + count + " tenants, got " + report);
  }

  private static FluentConfiguration flyway(HikariDataSource pool, Tenant tenant, String location) {
    String schema = SqlIdentifiers.tenantSchema(PREFIX, tenant.slug());
    return Flyway.configure().dataSource(pool).createSchemas(false).schemas(schema).locations(location)
        .failOnMissingLocations(true)
        .placeholders(Map.of("tenant_id", tenant.id().toString(), "tenant_slug", tenant.slug().value(),
            "tenant_schema", schema));
  }

  private static List<Tenant> createTenants(BenchDatabase database, HikariDataSource pool, InMemoryTenantStore store,
      int count, String location) {
    List<Tenant> tenants = new ArrayList<>();
    Instant now = Instant.now();
    for (int i = 1; i <= count; i++) {
      Tenant tenant = new Tenant(TenantId.random(), TenantSlug.of(String.format(Locale.ROOT, "tenant-%05d", i)),
          "Tenant " + i, TenantStatus.ACTIVE, TenantConfiguration.ofTier("free"), now, now, 0L, null);
      store.insert(tenant);
      tenants.add(tenant);
    }
    String model = SqlIdentifiers.quote(SqlIdentifiers.tenantSchema(PREFIX, tenants.get(0).slug()));
    database.execute("CREATE SCHEMA " + model);
    flyway(pool, tenants.get(0), location).load().migrate();
    for (int from = 1; from < count; from += 100) {
      StringBuilder copies = new StringBuilder();
      for (Tenant tenant : tenants.subList(from, Math.min(count, from + 100))) {
        String copy = SqlIdentifiers.quote(SqlIdentifiers.tenantSchema(PREFIX, tenant.slug()));
        copies.append("CREATE SCHEMA ").append(copy).append(";\n");
        for (String table : TABLES) {
          copies.append("CREATE TABLE ").append(copy).append('.').append(table).append(" (LIKE ").append(model)
              .append('.').append(table).append(" INCLUDING ALL);\n");
        }
        copies.append("CREATE TABLE ").append(copy).append(".flyway_schema_history (LIKE ").append(model)
            .append(".flyway_schema_history INCLUDING ALL);\n")
            .append("INSERT INTO ").append(copy).append(".flyway_schema_history SELECT * FROM ").append(model)
            .append(".flyway_schema_history;\n");
      }
      database.execute(copies.toString());
    }
    return tenants;
  }

  private static Path writeMigrations() {
    try {
      Path directory = Files.createTempDirectory("tenancy-migration-bench");
      directory.toFile().deleteOnExit();
      for (int i = 0; i < MIGRATIONS.length; i += 2) {
        Path script = directory.resolve(MIGRATIONS[i]);
        Files.writeString(script, MIGRATIONS[i + 1]);
        script.toFile().deleteOnExit();
      }
      return directory;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void check(boolean condition, String message) {
    if (!condition) {
      throw new IllegalStateException(message);
    }
  }
}
