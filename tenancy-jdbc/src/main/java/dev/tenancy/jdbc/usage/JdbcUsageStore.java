package dev.tenancy.jdbc.usage;

import dev.tenancy.core.TenancyConfigurationException;
import dev.tenancy.core.spi.UsageStore;
import dev.tenancy.jdbc.SqlIdentifiers;
import dev.tenancy.jdbc.internal.LibraryMigrations;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.YearMonth;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.flywaydb.core.api.FlywayException;
import org.jspecify.annotations.Nullable;

/**
 * A {@link UsageStore} in PostgreSQL or H2: one row per counter and month in {@code <schema>.quota_usage}, so that a
 * restart does not hand a tenant a fresh month.
 *
 * <p><b>Writes.</b> {@link #save} upserts all counters of a flush in one batch and one transaction, keeping the greater
 * of the stored and the given value ({@code GREATEST}), so several instances saving the same counter from reads taken
 * at different moments never lower it. Rows are written in key order, so concurrent saves on PostgreSQL take their
 * row locks in the same order and cannot deadlock.
 *
 * <p><b>Tables.</b> {@link Builder#build()} creates or upgrades the table with versioned Flyway migrations
 * ({@code dev/tenancy/jdbc/usage/}) in the store's schema (default {@code tenancy_usage}) under its own history table
 * {@value #HISTORY_TABLE}. It may share {@code JdbcTenantStore}'s schema ({@code tenancy}), in either order: each
 * store keeps its own history and starts it below V1 in a schema that already holds the other's tables. Give it
 * the platform (admin) DataSource, never a tenant-bound one: usage rows of all tenants live side by side.
 *
 * <pre>{@code
 * QuotaManager quotas = QuotaManager.builder()
 *     .store(new InMemoryQuotaStore())
 *     .usageStore(JdbcUsageStore.builder().dataSource(adminDataSource).build())
 *     .build();
 * }</pre>
 */
public final class JdbcUsageStore implements UsageStore {

  /** The Flyway history table of the usage store's own migrations, in the store's schema. */
  public static final String HISTORY_TABLE = "tenancy_usage_schema_history";

  private static final int MAX_NAME_LENGTH = 200;
  private static final int MAX_ATTEMPTS = 5;
  private static final String UNIQUE_VIOLATION = "23505";

  private final DataSource dataSource;
  private final Dialect dialect;
  private final String schema;
  private final String selectSql;
  private final String upsertSql;

  private JdbcUsageStore(DataSource dataSource, Dialect dialect, String schema) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.schema = schema;
    String table = SqlIdentifiers.quote(schema) + ".quota_usage";
    this.selectSql = "SELECT counter_name, used FROM " + table + " WHERE period = ?";
    this.upsertSql = dialect.upsert(table);
  }

  /** @return a builder; only {@link Builder#dataSource} is required */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * {@inheritDoc}
   *
   * @throws UsageStoreAccessException if the table cannot be read
   */
  @Override
  public Map<String, Long> load(YearMonth period) {
    Objects.requireNonNull(period, "period");
    Map<String, Long> counters = new HashMap<>();
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = connection.prepareStatement(selectSql)) {
      select.setString(1, period.toString());
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          counters.put(rows.getString(1), rows.getLong(2));
        }
      }
    } catch (SQLException e) {
      throw new UsageStoreAccessException("load the quota usage of " + period, e);
    }
    return counters;
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if a name is longer than 200 characters or a value is negative (nothing is
   *     saved)
   * @throws UsageStoreAccessException if the batch cannot be written (it is rolled back)
   */
  @Override
  public void save(Map<String, Long> counters, YearMonth period) {
    Objects.requireNonNull(counters, "counters");
    Objects.requireNonNull(period, "period");
    TreeMap<String, Long> ordered = new TreeMap<>();
    counters.forEach((name, value) -> {
      Objects.requireNonNull(name, "counter name");
      Objects.requireNonNull(value, "counter value");
      if (name.length() > MAX_NAME_LENGTH || value < 0) {
        throw new IllegalArgumentException("counter names are at most " + MAX_NAME_LENGTH
            + " characters and values not negative; was '" + name + "' = " + value);
      }
      ordered.put(name, value);
    });
    if (ordered.isEmpty()) {
      return;
    }
    SQLException failure = null;
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      try {
        upsert(ordered, period);
        return;
      } catch (SQLException e) {
        failure = e;
        // H2's MERGE is not atomic: two batches inserting the same new row race, and the loser fails on the primary
        // key. Run again: the winner's row is committed now, and the MERGE updates it.
        if (dialect != Dialect.H2 || !UNIQUE_VIOLATION.equals(e.getSQLState())) {
          break;
        }
      }
    }
    throw new UsageStoreAccessException("save " + ordered.size() + " quota usage counters of " + period, failure);
  }

  private void upsert(TreeMap<String, Long> ordered, YearMonth period) throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      boolean autoCommit = connection.getAutoCommit();
      connection.setAutoCommit(false);
      try (PreparedStatement upsert = connection.prepareStatement(upsertSql)) {
        for (Map.Entry<String, Long> counter : ordered.entrySet()) {
          upsert.setString(1, period.toString());
          upsert.setString(2, counter.getKey());
          upsert.setLong(3, counter.getValue());
          upsert.addBatch();
        }
        upsert.executeBatch();
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(autoCommit);
      }
    }
  }

  @Override
  public String toString() {
    return "JdbcUsageStore[" + dialect.name().toLowerCase(Locale.ROOT) + ", schema=" + schema + "]";
  }

  /** The databases the store runs on, and the upsert that differs between them. */
  private enum Dialect {
    POSTGRESQL,
    H2;

    static Dialect of(Connection connection) throws SQLException {
      return valueOf(LibraryMigrations.detect(connection, "JdbcUsageStore", "UsageStore").name());
    }

    String migrationLocation() {
      return "classpath:dev/tenancy/jdbc/usage/" + LibraryMigrations.Database.valueOf(name()).folder();
    }

    /** Parameters: period, counter name, value. */
    String upsert(String table) {
      if (this == POSTGRESQL) {
        // ON CONFLICT rather than MERGE: MERGE arrived only in PostgreSQL 15, and we support 14.
        return "INSERT INTO " + table + " AS u (period, counter_name, used, updated_at)"
            + " VALUES (?, ?, ?, CURRENT_TIMESTAMP) ON CONFLICT (period, counter_name) DO UPDATE"
            + " SET used = GREATEST(u.used, EXCLUDED.used), updated_at = EXCLUDED.updated_at";
      }
      return "MERGE INTO " + table + " u USING (VALUES (CAST(? AS VARCHAR(7)), CAST(? AS VARCHAR(200)),"
          + " CAST(? AS BIGINT))) s (period, counter_name, used)"
          + " ON u.period = s.period AND u.counter_name = s.counter_name"
          + " WHEN MATCHED THEN UPDATE SET used = GREATEST(u.used, s.used), updated_at = CURRENT_TIMESTAMP"
          + " WHEN NOT MATCHED THEN INSERT (period, counter_name, used, updated_at)"
          + " VALUES (s.period, s.counter_name, s.used, CURRENT_TIMESTAMP)";
    }
  }

  /** Configures a {@link JdbcUsageStore}; {@link #build()} checks the options and migrates the table. */
  public static final class Builder {

    private @Nullable DataSource dataSource;
    private String schema = "tenancy_usage";
    private boolean migrate = true;

    private Builder() {
    }

    /**
     * The raw (platform, admin) DataSource the store reads and writes its table with — never a tenant-bound one.
     *
     * @param dataSource a PostgreSQL or H2 DataSource, normally a HikariCP pool
     * @return this builder
     */
    public Builder dataSource(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
      return this;
    }

    /**
     * The schema of the table and its migration history; created if missing.
     *
     * @param schema lower-case letters, digits and {@code _}, starting with a letter; default {@code tenancy_usage}
     * @return this builder
     */
    public Builder schema(String schema) {
      this.schema = Objects.requireNonNull(schema, "schema");
      return this;
    }

    /**
     * Whether {@link #build()} creates or upgrades the table with Flyway. Turn it off when the scripts under
     * {@code dev/tenancy/jdbc/usage/} are applied by other means.
     *
     * @param enabled default {@code true}
     * @return this builder
     */
    public Builder migrate(boolean enabled) {
      this.migrate = enabled;
      return this;
    }

    /**
     * Checks the options and migrates the table (unless turned off).
     *
     * @return the store
     * @throws IllegalStateException if no DataSource was given
     * @throws IllegalArgumentException if the schema name is invalid
     * @throws TenancyConfigurationException if the database is neither PostgreSQL nor H2
     * @throws UsageStoreAccessException if the database cannot be reached or migrated
     */
    public JdbcUsageStore build() {
      DataSource source = LibraryMigrations.requireStoreOptions(dataSource, schema, "JdbcUsageStore");
      Dialect dialect;
      try (Connection connection = source.getConnection()) {
        dialect = Dialect.of(connection);
      } catch (SQLException e) {
        throw new UsageStoreAccessException("connect to its database", e);
      }
      if (migrate) {
        migrate(source, dialect);
      }
      return new JdbcUsageStore(source, dialect, schema);
    }

    private void migrate(DataSource source, Dialect dialect) {
      try {
        LibraryMigrations.migrate(source, schema, HISTORY_TABLE, dialect.migrationLocation(),
            JdbcUsageStore.class.getClassLoader());
      } catch (FlywayException e) {
        throw new UsageStoreAccessException("Migrating the quota usage table in schema '" + schema + "' failed: "
            + e.getMessage() + "; fix the cause (privileges to create the schema, a clashing table, a modified"
            + " migration) and start again", e);
      }
    }
  }
}
