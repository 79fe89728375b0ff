package dev.tenancy.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantConfiguration;
import dev.tenancy.core.TenantContext;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.TenantScope;
import dev.tenancy.core.TenantSlug;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.data.BackupSummary;
import dev.tenancy.core.data.RestoreSummary;
import dev.tenancy.core.memory.InMemoryTenantStore;
import dev.tenancy.jdbc.RlsPolicies;
import dev.tenancy.jdbc.RowLevelSecurity;
import dev.tenancy.jdbc.TenantAwareDataSource;
import dev.tenancy.jdbc.backup.BackupKey;
import dev.tenancy.jdbc.backup.BackupRepository;
import dev.tenancy.jdbc.backup.JdbcTenantBackups;
import dev.tenancy.jdbc.backup.TenantDataDigest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Throughput of single-tenant backup and restore on PostgreSQL under row-level security, against plain-JDBC baselines
 * in the same run, as a main class (one operation takes a second or more, so JMH's machinery adds nothing):
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar dev.tenancy.benchmarks.BackupBenchmark [rounds]
 * </pre>
 *
 * <p>One tenant with 100,000 rows over three tables (10k customers ← 40k orders ← 50k order lines; uuid, bigint,
 * text, numeric, timestamptz, boolean and jsonb columns) among 10% more rows of another tenant, read and written as a
 * non-owner role through {@link RowLevelSecurity}. Per round, in this order:
 * <ul>
 *   <li><b>read baseline</b> — {@code SELECT *} of the tenant's rows of each table ({@code WHERE organization_id = ?},
 *       fetch size 1000, every column fetched with {@code getObject}), nothing written;</li>
 *   <li><b>backup</b> — {@link JdbcTenantBackups#backup}: the same reads, JSON lines, SHA-256, zip, HMAC, a file;</li>
 *   <li><b>digest</b> — {@link TenantDataDigest#of}, what a move verifies with;</li>
 *   <li><b>write baseline</b> — in one transaction, DELETE the tenant's rows (children first) and INSERT the same
 *       100k rows, pre-loaded in memory, in JDBC batches of 500;</li>
 *   <li><b>restore</b> — {@link JdbcTenantBackups#restore}: verify the archive (a full read), then in one transaction
 *       DELETE the tenant's rows and INSERT the archive's in batches of 500.</li>
 * </ul>
 * Reported: the median over the rounds (after one warm-up round) in rows per second, and each operation's ratio to
 * its baseline.
 */
public final class BackupBenchmark {

  private static final int CUSTOMERS = 10_000;
  private static final int ORDERS = 40_000;
  private static final int LINES = 50_000;
  private static final String[] TABLES = {"customers", "orders", "order_lines"};

  private BackupBenchmark() {
  }

  /**
   * Runs the measurement.
   *
   * @param args optionally the number of measured rounds (default 5)
   * @throws Exception if the database fails
   */
  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    Path directory = Files.createTempDirectory("tenancy-backup-bench");
    try (BenchDatabase database = BenchDatabase.create()) {
      String app = database.createApplicationRole("bench_backup");
      createTables(database, app);
      InMemoryTenantStore tenants = new InMemoryTenantStore();
      TenantInfo acme = tenant(tenants, "acme", TenantStatus.SUSPENDED);
      TenantInfo globex = tenant(tenants, "globex", TenantStatus.ACTIVE);
      seed(database, acme, 1);
      seed(database, globex, 10);
      database.execute("ANALYZE");
      HikariDataSource pool = database.pool(app, 2);
      TenantAwareDataSource rls = TenantAwareDataSource.of(RowLevelSecurity.builder(pool).build());
      JdbcTenantBackups backups = JdbcTenantBackups.builder().dataSource(rls).tenants(tenants)
          .repository(BackupRepository.directory(directory)).key(BackupKey.of(new byte[32])).build();
      long rows = CUSTOMERS + ORDERS + LINES;
      TenantDataDigest original = TenantDataDigest.of(rls, acme);
      List<List<Object[]>> inMemory = readAll(rls, acme);

      List<double[]> samples = new ArrayList<>();
      for (int round = 0; round <= rounds; round++) {
        double[] seconds = new double[5];
        long start = System.nanoTime();
        long read = readAll(rls, acme).stream().mapToLong(List::size).sum();
        seconds[0] = elapsed(start);
        start = System.nanoTime();
        BackupSummary backup = backups.backup(acme.id());
        seconds[1] = elapsed(start);
        start = System.nanoTime();
        TenantDataDigest digest = TenantDataDigest.of(rls, acme);
        seconds[2] = elapsed(start);
        start = System.nanoTime();
        rewrite(rls, acme, inMemory);
        seconds[3] = elapsed(start);
        start = System.nanoTime();
        RestoreSummary restored = backups.restore(acme.id(), backup.backupId());
        seconds[4] = elapsed(start);
        if (read != rows || backup.rows() != rows || restored.rowsRestored() != rows || !digest.equals(original)
            || !TenantDataDigest.of(rls, acme).equals(original)) {
          throw new IllegalStateException("round " + round + " did not read, back up or restore every row unchanged");
        }
        System.out.printf(Locale.ROOT, "round %d%s: read %.2f s, backup %.2f s, digest %.2f s, write %.2f s,"
            + " restore %.2f s, archive %d bytes%n", round, round == 0 ? " (warm-up)" : "", seconds[0], seconds[1],
            seconds[2], seconds[3], seconds[4], Files.size(directory.resolve(acme.id().toString())
                .resolve(backup.backupId() + ".zip")));
        if (round > 0) {
          samples.add(seconds);
        }
      }
      String[] names = {"read baseline (SELECT *)", "backup", "digest", "write baseline (batched INSERT)", "restore"};
      double[] medians = new double[names.length];
      for (int i = 0; i < names.length; i++) {
        int column = i;
        double[] values = samples.stream().mapToDouble(s -> s[column]).sorted().toArray();
        medians[i] = values[values.length / 2];
      }
      System.out.printf(Locale.ROOT, "%n%d rows of one tenant over 3 tables, %d measured rounds, medians:%n", rows,
          rounds);
      for (int i = 0; i < names.length; i++) {
        String ratio = switch (i) {
          case 1, 2 -> String.format(Locale.ROOT, "  (%.2fx the read baseline's time)", medians[i] / medians[0]);
          case 4 -> String.format(Locale.ROOT, "  (%.2fx the write baseline's time)", medians[i] / medians[3]);
          default -> "";
        };
        System.out.printf(Locale.ROOT, "  %-32s %8.0f rows/s  %6.2f s%s%n", names[i], rows / medians[i], medians[i],
            ratio);
      }
    } finally {
      try (Stream<Path> files = Files.walk(directory)) {
        files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static double elapsed(long start) {
    return (System.nanoTime() - start) / 1e9;
  }

  private static TenantInfo tenant(InMemoryTenantStore tenants, String slug, TenantStatus status) {
    Instant now = Instant.now();
    Tenant tenant = tenants.insert(new Tenant(TenantId.random(), TenantSlug.of(slug), slug, status,
        TenantConfiguration.ofTier("free"), now, now, 0, null));
    return new TenantInfo(tenant.id(), tenant.slug(), status, dev.tenancy.core.EffectiveConfiguration.none());
  }

  private static void createTables(BenchDatabase database, String app) throws SQLException {
    database.execute(
        "CREATE TABLE customers (organization_id uuid NOT NULL, id bigint NOT NULL, name text NOT NULL, email text,"
            + " created_at timestamptz NOT NULL, PRIMARY KEY (organization_id, id))",
        "CREATE TABLE orders (organization_id uuid NOT NULL, id bigint NOT NULL, customer_id bigint NOT NULL,"
            + " total numeric(12,2), status text NOT NULL, placed_at timestamptz, paid boolean, meta jsonb,"
            + " PRIMARY KEY (organization_id, id),"
            + " FOREIGN KEY (organization_id, customer_id) REFERENCES customers (organization_id, id))",
        "CREATE TABLE order_lines (organization_id uuid NOT NULL, order_id bigint NOT NULL, line int NOT NULL,"
            + " product text NOT NULL, qty int NOT NULL, price numeric(10,2), PRIMARY KEY (organization_id, order_id,"
            + " line), FOREIGN KEY (organization_id, order_id) REFERENCES orders (organization_id, id))",
        // the referencing side of orders → customers: without it every deleted customer scans orders (restore deletes)
        "CREATE INDEX orders_customer ON orders (organization_id, customer_id)");
    try (Connection owner = java.sql.DriverManager.getConnection(database.url(), BenchDatabase.ADMIN_USER, null)) {
      RlsPolicies.builder().tables(TABLES).applicationRole(app).build().apply(owner);
    }
  }

  /** 10k customers, 40k orders and 50k lines for the tenant, divided by {@code divisor}, with SQL on the server. */
  private static void seed(BenchDatabase database, TenantInfo tenant, int divisor) {
    String org = "'" + tenant.id() + "'::uuid";
    int customers = CUSTOMERS / divisor;
    int orders = ORDERS / divisor;
    int lines = LINES / divisor;
    database.execute(
        "INSERT INTO customers SELECT " + org + ", g, 'Customer ' || g, 'customer' || g || '@example.com',"
            + " timestamptz '2024-01-01 00:00:00+00' + g * interval '1 minute' FROM generate_series(1, " + customers
            + ") g",
        "INSERT INTO orders SELECT " + org + ", g, 1 + g % " + customers + ", (g % 1000) * 1.25,"
            + " (ARRAY['new','paid','shipped'])[1 + g % 3], timestamptz '2024-02-01 00:00:00+00' + g * interval '1 s',"
            + " g % 2 = 0, jsonb_build_object('source', 'web', 'n', g, 'tags', jsonb_build_array('a', 'b'))"
            + " FROM generate_series(1, " + orders + ") g",
        "INSERT INTO order_lines SELECT " + org + ", 1 + (g - 1) % " + orders + ", 1 + (g - 1) / " + orders + ","
            + " 'product-' || (g % 500), 1 + g % 7, (g % 200) * 0.5 FROM generate_series(1, " + lines + ") g");
  }

  /** The read baseline: every column of every tenant row of the three tables, fetched with getObject. */
  private static List<List<Object[]>> readAll(TenantAwareDataSource rls, TenantInfo tenant) throws SQLException {
    List<List<Object[]>> tables = new ArrayList<>();
    try (TenantScope scope = TenantContext.enter(tenant); Connection connection = rls.getConnection()) {
      connection.setAutoCommit(false);
      for (String table : TABLES) {
        List<Object[]> rows = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT * FROM " + table
            + " WHERE organization_id = ?")) {
          select.setFetchSize(1000);
          select.setObject(1, tenant.id().value());
          try (ResultSet result = select.executeQuery()) {
            ResultSetMetaData metadata = result.getMetaData();
            int columns = metadata.getColumnCount();
            while (result.next()) {
              Object[] row = new Object[columns];
              for (int i = 0; i < columns; i++) {
                row[i] = result.getObject(i + 1);
              }
              rows.add(row);
            }
          }
        }
        tables.add(rows);
      }
      connection.commit();
      connection.setAutoCommit(true);
    }
    return tables;
  }

  /** The write baseline: delete the tenant's rows and insert the given ones in batches of 500, one transaction. */
  private static void rewrite(TenantAwareDataSource rls, TenantInfo tenant, List<List<Object[]>> tables)
      throws SQLException {
    try (TenantScope scope = TenantContext.enter(tenant); Connection connection = rls.getConnection()) {
      connection.setAutoCommit(false);
      for (int t = TABLES.length - 1; t >= 0; t--) {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + TABLES[t]
            + " WHERE organization_id = ?")) {
          delete.setObject(1, tenant.id().value());
          delete.executeUpdate();
        }
      }
      for (int t = 0; t < TABLES.length; t++) {
        List<Object[]> rows = tables.get(t);
        String marks = String.join(", ", java.util.Collections.nCopies(rows.get(0).length, "?"));
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + TABLES[t] + " VALUES (" + marks
            + ")")) {
          int pending = 0;
          for (Object[] row : rows) {
            for (int i = 0; i < row.length; i++) {
              insert.setObject(i + 1, row[i]);
            }
            insert.addBatch();
            if (++pending == 500) {
              insert.executeBatch();
              pending = 0;
            }
          }
          if (pending > 0) {
            insert.executeBatch();
          }
        }
      }
      connection.commit();
      connection.setAutoCommit(true);
    }
  }
}
