package dev.tenancy.jdbc.migration;

import dev.tenancy.core.Tenant;
import dev.tenancy.core.data.TenantMigrationStatus;
import dev.tenancy.jdbc.SqlIdentifiers;
import dev.tenancy.jdbc.internal.TenantMigrations;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;
import org.jspecify.annotations.Nullable;

/**
 * Where a kind of target lives and how Flyway and the currency check reach it: tenant schemas in one database,
 * tenant databases on one server, or a shared schema.
 */
abstract class Place {

  /** One lock per embedded H2 database in this JVM, see {@link #serialisedOnH2}. */
  private static final ConcurrentMap<String, ReentrantLock> H2_MIGRATIONS = new ConcurrentHashMap<>();

  final TenantMigrations migrations;
  final ClassLoader classLoader;
  /** The H2 database's URL once known, "" for another database. */
  private volatile @Nullable String h2Key;

  Place(TenantMigrations migrations, ClassLoader classLoader) {
    this.migrations = migrations;
    this.classLoader = classLoader;
  }

  /** @return Flyway, configured for the target and ready to {@code load()} */
  abstract FluentConfiguration flyway(Target target);

  /**
   * Runs Flyway's migrate on the target.
   *
   * @return Flyway's report
   * @throws org.flywaydb.core.api.FlywayException if a migration fails
   */
  MigrateResult migrate(Target target) {
    return flyway(target).load().migrate();
  }

  /**
   * Removes the rows of failed migrations from the target's history, as Flyway's {@code repair} does, but without
   * realigning the checksums of applied migrations. Only databases without transactional DDL (H2) leave such rows.
   *
   * @return how many rows were removed
   * @throws SQLException if the history cannot be changed
   */
  abstract int removeFailedRows(Target target) throws SQLException;

  static int removeFailedRows(Connection connection, String schema, String table) throws SQLException {
    String sql = "DELETE FROM " + SqlIdentifiers.quote(schema) + "." + SqlIdentifiers.quote(table)
        + " WHERE \"success\" = FALSE";
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      int removed = statement.executeUpdate();
      if (!connection.getAutoCommit()) {
        connection.commit();
      }
      return removed;
    }
  }

  /** @return a reader of history tables, used by one thread at a time */
  abstract HistoryReader reader();

  /** @return values that must never appear in a recorded error (passwords) */
  List<@Nullable String> secrets() {
    return List.of();
  }

  /** Reads the history rows of targets, keeping connections open between reads when it can. */
  abstract static class HistoryReader implements AutoCloseable {

    /**
     * @return the rows in installation order
     * @throws SQLException if the table cannot be read (it may not exist yet)
     */
    abstract List<AppliedMigration> read(Target target) throws SQLException;

    @Override
    public abstract void close();

    static List<AppliedMigration> read(Connection connection, String schema, String table) throws SQLException {
      String sql = "SELECT \"version\", \"description\", \"type\", \"checksum\", \"success\" FROM "
          + SqlIdentifiers.quote(schema) + "." + SqlIdentifiers.quote(table) + " ORDER BY \"installed_rank\"";
      List<AppliedMigration> rows = new ArrayList<>();
      try (PreparedStatement statement = connection.prepareStatement(sql); ResultSet result = statement.executeQuery()) {
        while (result.next()) {
          int checksum = result.getInt(4);
          rows.add(new AppliedMigration(result.getString(1), nonNull(result.getString(2)), nonNull(result.getString(3)),
              result.wasNull() ? null : checksum, result.getBoolean(5)));
        }
      }
      return rows;
    }

    private static String nonNull(@Nullable String value) {
      return value == null ? "" : value;
    }
  }

  /** Schemas in the database of one (admin) DataSource: their history is read over pooled connections. */
  abstract static class InOneDatabase extends Place {
    final DataSource dataSource;

    InOneDatabase(DataSource dataSource, TenantMigrations migrations, ClassLoader classLoader) {
      super(migrations, classLoader);
      this.dataSource = dataSource;
    }

    @Override
    MigrateResult migrate(Target target) {
      return serialisedOnH2(dataSource, () -> super.migrate(target));
    }

    @Override
    int removeFailedRows(Target target) throws SQLException {
      try (Connection connection = dataSource.getConnection()) {
        return removeFailedRows(connection, target.schema(), migrations.historyTable());
      }
    }

    @Override
    HistoryReader reader() {
      return new PooledReader(dataSource, migrations.historyTable());
    }
  }

  /** Tenant schemas in the database of one (admin) DataSource. */
  static final class Schemas extends InOneDatabase {
    private final String prefix;

    Schemas(DataSource dataSource, String prefix, TenantMigrations migrations, ClassLoader classLoader) {
      super(dataSource, migrations, classLoader);
      this.prefix = prefix;
    }

    Target target(Tenant tenant) {
      String schema = SqlIdentifiers.tenantSchema(prefix, tenant.slug());
      return new Target(tenant.id().toString(), tenant, schema, schema, this);
    }

    @Override
    FluentConfiguration flyway(Target target) {
      // Never create a schema here: a missing one means the tenant was not provisioned, which is an error to show.
      return migrations.apply(TenantMigrations.configure(classLoader).dataSource(dataSource).createSchemas(false),
          target.tenant(), target.schema());
    }

  }

  /** A schema all tenants share (row-level security), migrated once. */
  static final class Shared extends InOneDatabase {
    private final String schema;

    Shared(DataSource dataSource, String schema, TenantMigrations migrations, ClassLoader classLoader) {
      super(dataSource, migrations, classLoader);
      this.schema = schema;
    }

    Target target() {
      return new Target(TenantMigrationStatus.SHARED_PREFIX + schema, null, schema, schema, this);
    }

    @Override
    FluentConfiguration flyway(Target target) {
      return migrations.apply(TenantMigrations.configure(classLoader).dataSource(dataSource), null, schema);
    }

  }

  /** A database per tenant on one server, reached through a URL template. */
  static final class Databases extends Place {
    private final String urlTemplate;
    private final String prefix;
    private final @Nullable String user;
    private final @Nullable String password;

    Databases(String urlTemplate, String prefix, @Nullable String user, @Nullable String password,
        TenantMigrations migrations, ClassLoader classLoader) {
      super(migrations, classLoader);
      this.urlTemplate = urlTemplate;
      this.prefix = prefix;
      this.user = user;
      this.password = password;
    }

    Target target(Tenant tenant) {
      String database = SqlIdentifiers.tenantSchema(prefix, tenant.slug());
      return new Target(tenant.id().toString(), tenant, database, "public", this);
    }

    String url(Target target) {
      return urlTemplate.replace(MigrationWaves.DATABASE_PLACEHOLDER, target.location());
    }

    @Override
    FluentConfiguration flyway(Target target) {
      return migrations.apply(TenantMigrations.configure(classLoader).dataSource(url(target), user, password),
          target.tenant(), target.schema());
    }

    @Override
    int removeFailedRows(Target target) throws SQLException {
      try (Connection connection = connect(target)) {
        return removeFailedRows(connection, target.schema(), migrations.historyTable());
      }
    }

    private Connection connect(Target target) throws SQLException {
      Properties properties = new Properties();
      if (user != null) {
        properties.setProperty("user", user);
      }
      if (password != null) {
        properties.setProperty("password", password);
      }
      return DriverManager.getConnection(url(target), properties);
    }

    @Override
    List<@Nullable String> secrets() {
      List<@Nullable String> secrets = new ArrayList<>();
      secrets.add(password);
      return secrets;
    }

    @Override
    HistoryReader reader() {
      return new HistoryReader() {
        @Override
        List<AppliedMigration> read(Target target) throws SQLException {
          try (Connection connection = connect(target)) {
            return read(connection, target.schema(), migrations.historyTable());
          }
        }

        @Override
        public void close() {
        }
      };
    }
  }

  /**
   * H2 runs DDL under an exclusive lock on its catalog, and two Flyway runs in one H2 database — each with two
   * connections — wait on each other until the lock times out. So on H2 one migration runs at a time per database
   * (per JVM, as an embedded H2 is); checks still run in parallel.
   */
  MigrateResult serialisedOnH2(DataSource dataSource, Supplier<MigrateResult> migration) {
    String key = h2Key;
    if (key == null) {
      key = h2Url(dataSource);
      h2Key = key;
    }
    if (key.isEmpty()) {
      return migration.get();
    }
    ReentrantLock lock = H2_MIGRATIONS.computeIfAbsent(key, url -> new ReentrantLock());
    lock.lock();
    try {
      return migration.get();
    } finally {
      lock.unlock();
    }
  }

  /** @return the H2 database's URL, or "" for another database */
  private static String h2Url(DataSource dataSource) {
    try (Connection connection = dataSource.getConnection()) {
      DatabaseMetaData metaData = connection.getMetaData();
      return "H2".equals(metaData.getDatabaseProductName()) ? metaData.getURL() : "";
    } catch (SQLException e) {
      return "";   // Flyway will meet the same failure and report it
    }
  }

  /** Reads histories through one connection of a DataSource, taken on first use and replaced after a failure. */
  private static final class PooledReader extends HistoryReader {
    private final DataSource dataSource;
    private final String table;
    private @Nullable Connection connection;

    PooledReader(DataSource dataSource, String table) {
      this.dataSource = dataSource;
      this.table = table;
    }

    @Override
    List<AppliedMigration> read(Target target) throws SQLException {
      Connection open = connection;
      if (open == null) {
        open = dataSource.getConnection();
        connection = open;
        // A failed read (no history table yet) must not abort a transaction the following reads run in.
        open.setAutoCommit(true);
      }
      try {
        return read(open, target.schema(), table);
      } catch (SQLException e) {
        // A missing history table leaves an auto-commit connection usable; a broken connection does not.
        String state = e.getSQLState();
        if (state == null || state.startsWith("08")) {
          close();
        }
        throw e;
      }
    }

    @Override
    public void close() {
      Connection open = connection;
      connection = null;
      if (open != null) {
        try {
          open.close();
        } catch (SQLException e) {
          // Closing a connection we only read through; nothing to undo.
        }
      }
    }
  }
}
