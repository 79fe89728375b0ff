package dev.tenancy.jdbc.migration;

import dev.tenancy.core.TenancyConfigurationException;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.data.MigrationState;
import dev.tenancy.core.data.MigrationSummary;
import dev.tenancy.core.data.TenantMigrationStatus;
import dev.tenancy.jdbc.SqlIdentifiers;
import dev.tenancy.jdbc.internal.LibraryMigrations;
import dev.tenancy.jdbc.spi.MigrationStatusStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.api.FlywayException;
import org.jspecify.annotations.Nullable;

/**
 * A {@link MigrationStatusStore} in PostgreSQL or H2: one row per target in {@code <schema>.tenant_migrations}, shared
 * by every app instance that runs {@link MigrationWaves}, so a claim made by one instance is seen by all.
 *
 * <p><b>Claims.</b> {@link #replace} is a single conditional {@code UPDATE … WHERE target = ? AND revision = ?} and
 * {@link #insert} relies on the primary key, so of two instances claiming the same target the database lets exactly
 * one succeed — the guard holds even if the instances' own checks interleave.
 *
 * <p><b>Tables.</b> {@link Builder#build()} creates or upgrades the table with versioned Flyway migrations
 * ({@code dev/tenancy/jdbc/waves/}) in the store's schema (default {@value #DEFAULT_SCHEMA}) under its own history
 * table {@value #HISTORY_TABLE}; it may share a schema with the other stores. Give it the platform (admin)
 * DataSource, never a tenant-bound one: the table holds every tenant's row.
 *
 * <pre>{@code
 * JdbcMigrationStatusStore statuses = JdbcMigrationStatusStore.builder().dataSource(adminDataSource).build();
 * MigrationSummary summary = statuses.summary();     // what the admin API shows
 * }</pre>
 */
public final class JdbcMigrationStatusStore implements MigrationStatusStore {

  /** The Flyway history table of the store's own migrations, in its schema. */
  public static final String HISTORY_TABLE = "tenancy_waves_schema_history";
  /** The schema the table lives in unless {@link Builder#schema} says otherwise. */
  public static final String DEFAULT_SCHEMA = "tenancy_migrations";

  private static final String UNIQUE_VIOLATION = "23505";
  private static final String COLUMNS = "target, tenant_id, location, state, version_before, version_after, error,"
      + " attempts, run_id, started_at, finished_at, lease_until, updated_at, revision";

  private final DataSource dataSource;
  private final LibraryMigrations.Database database;
  private final String schema;
  private final String selectAll;
  private final String selectOne;
  private final String selectState;
  private final String countByState;
  private final String insert;
  private final String update;

  private JdbcMigrationStatusStore(DataSource dataSource, LibraryMigrations.Database database, String schema) {
    this.dataSource = dataSource;
    this.database = database;
    this.schema = schema;
    String table = SqlIdentifiers.quote(schema) + ".tenant_migrations";
    this.selectAll = "SELECT " + COLUMNS + " FROM " + table + " ORDER BY location, target";
    this.selectOne = "SELECT " + COLUMNS + " FROM " + table + " WHERE target = ?";
    this.selectState = "SELECT " + COLUMNS + " FROM " + table + " WHERE state = ? ORDER BY location, target";
    this.countByState = "SELECT state, COUNT(*) FROM " + table + " GROUP BY state";
    this.insert = "INSERT INTO " + table + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    this.update = "UPDATE " + table + " SET target = ?, tenant_id = ?, location = ?, state = ?, version_before = ?,"
        + " version_after = ?, error = ?, attempts = ?, run_id = ?, started_at = ?, finished_at = ?, lease_until = ?,"
        + " updated_at = ?, revision = ? WHERE target = ? AND revision = ?";
  }

  /** @return a builder; only {@link Builder#dataSource} is required */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * {@inheritDoc}
   *
   * @throws MigrationStatusStoreAccessException if the table cannot be read
   */
  @Override
  public Optional<TenantMigrationStatus> find(String target) {
    Objects.requireNonNull(target, "target");
    List<TenantMigrationStatus> found = query(selectOne, target, "read the status of " + target);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  /**
   * {@inheritDoc}
   *
   * @throws MigrationStatusStoreAccessException if the table cannot be written
   */
  @Override
  public boolean insert(TenantMigrationStatus status) {
    Objects.requireNonNull(status, "status");
    try (Connection connection = autoCommitted(); PreparedStatement statement = connection.prepareStatement(insert)) {
      bind(statement, status);
      return statement.executeUpdate() == 1;
    } catch (SQLException e) {
      if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
        return false;
      }
      throw new MigrationStatusStoreAccessException("insert the status of " + status.target(), e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws MigrationStatusStoreAccessException if the table cannot be written
   */
  @Override
  public boolean replace(TenantMigrationStatus expected, TenantMigrationStatus next) {
    MigrationStatusStore.checkReplacement(expected, next);
    try (Connection connection = autoCommitted(); PreparedStatement statement = connection.prepareStatement(update)) {
      bind(statement, next);
      statement.setString(15, expected.target());
      statement.setLong(16, expected.revision());
      return statement.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new MigrationStatusStoreAccessException("replace the status of " + expected.target(), e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws MigrationStatusStoreAccessException if the table cannot be read
   */
  @Override
  public List<TenantMigrationStatus> statuses() {
    return query(selectAll, null, "list the migration statuses");
  }

  /**
   * {@inheritDoc}
   *
   * @throws MigrationStatusStoreAccessException if the table cannot be read
   */
  @Override
  public List<TenantMigrationStatus> statuses(MigrationState state) {
    return query(selectState, Objects.requireNonNull(state, "state").name(), "list the " + state + " statuses");
  }

  /**
   * {@inheritDoc}
   *
   * <p>Counted by the database, without reading the records.
   *
   * @throws MigrationStatusStoreAccessException if the table cannot be read
   */
  @Override
  public MigrationSummary summary() {
    Map<MigrationState, Long> counts = new EnumMap<>(MigrationState.class);
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(countByState);
        ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        counts.put(MigrationState.valueOf(rows.getString(1)), rows.getLong(2));
      }
    } catch (SQLException e) {
      throw new MigrationStatusStoreAccessException("count the migration statuses", e);
    }
    return new MigrationSummary(counts.getOrDefault(MigrationState.PENDING, 0L),
        counts.getOrDefault(MigrationState.RUNNING, 0L), counts.getOrDefault(MigrationState.DONE, 0L),
        counts.getOrDefault(MigrationState.FAILED, 0L));
  }

  private List<TenantMigrationStatus> query(String sql, @Nullable String parameter, String action) {
    List<TenantMigrationStatus> found = new ArrayList<>();
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      if (parameter != null) {
        statement.setString(1, parameter);
      }
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          found.add(read(rows));
        }
      }
      if (!connection.getAutoCommit()) {
        connection.commit();
      }
    } catch (SQLException e) {
      throw new MigrationStatusStoreAccessException(action, e);
    }
    return found;
  }

  /** Each write is one statement: auto-commit makes it atomic on its own, whatever the pool's default. */
  private Connection autoCommitted() throws SQLException {
    Connection connection = dataSource.getConnection();
    try {
      if (!connection.getAutoCommit()) {
        connection.setAutoCommit(true);
      }
      return connection;
    } catch (SQLException | RuntimeException e) {
      connection.close();
      throw e;
    }
  }

  private static void bind(PreparedStatement statement, TenantMigrationStatus status) throws SQLException {
    statement.setString(1, status.target());
    TenantId tenant = status.tenant();
    if (tenant == null) {
      statement.setNull(2, Types.OTHER);
    } else {
      statement.setObject(2, tenant.value());
    }
    statement.setString(3, status.location());
    statement.setString(4, status.state().name());
    statement.setString(5, status.versionBefore());
    statement.setString(6, status.versionAfter());
    statement.setString(7, status.error());
    statement.setInt(8, status.attempts());
    statement.setString(9, status.runId());
    setInstant(statement, 10, status.startedAt());
    setInstant(statement, 11, status.finishedAt());
    setInstant(statement, 12, status.leaseUntil());
    setInstant(statement, 13, status.updatedAt());
    statement.setLong(14, status.revision());
  }

  private static TenantMigrationStatus read(ResultSet rows) throws SQLException {
    UUID tenant = rows.getObject(2, UUID.class);
    Instant updatedAt = instant(rows, 13);
    return new TenantMigrationStatus(rows.getString(1), tenant == null ? null : TenantId.of(tenant),
        rows.getString(3), MigrationState.valueOf(rows.getString(4)), rows.getString(5), rows.getString(6),
        rows.getString(7), rows.getInt(8), rows.getString(9), instant(rows, 10), instant(rows, 11), instant(rows, 12),
        Objects.requireNonNull(updatedAt, "updated_at"), rows.getLong(14));
  }

  private static void setInstant(PreparedStatement statement, int index, @Nullable Instant value)
      throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      statement.setObject(index, value.atOffset(ZoneOffset.UTC));
    }
  }

  private static @Nullable Instant instant(ResultSet rows, int index) throws SQLException {
    OffsetDateTime value = rows.getObject(index, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  @Override
  public String toString() {
    return "JdbcMigrationStatusStore[" + database.folder() + ", schema=" + schema + "]";
  }

  /** Configures a {@link JdbcMigrationStatusStore}; {@link #build()} checks the options and migrates the table. */
  public static final class Builder {

    private @Nullable DataSource dataSource;
    private String schema = DEFAULT_SCHEMA;
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
     * @param schema lower-case letters, digits and {@code _}, starting with a letter; default
     *     {@value JdbcMigrationStatusStore#DEFAULT_SCHEMA}
     * @return this builder
     */
    public Builder schema(String schema) {
      this.schema = Objects.requireNonNull(schema, "schema");
      return this;
    }

    /**
     * Whether {@link #build()} creates or upgrades the table with Flyway. Turn it off when the scripts under
     * {@code dev/tenancy/jdbc/waves/} are applied by other means.
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
     * @throws MigrationStatusStoreAccessException if the database cannot be reached or migrated
     */
    public JdbcMigrationStatusStore build() {
      DataSource source = LibraryMigrations.requireStoreOptions(dataSource, schema, "JdbcMigrationStatusStore");
      LibraryMigrations.Database database;
      try (Connection connection = source.getConnection()) {
        database = LibraryMigrations.detect(connection, "JdbcMigrationStatusStore", "MigrationStatusStore");
      } catch (SQLException e) {
        throw new MigrationStatusStoreAccessException("connect to its database", e);
      }
      if (migrate) {
        try {
          LibraryMigrations.migrate(source, schema, HISTORY_TABLE,
              "classpath:dev/tenancy/jdbc/waves/" + database.folder(), JdbcMigrationStatusStore.class.getClassLoader());
        } catch (FlywayException e) {
          throw new MigrationStatusStoreAccessException("Migrating the migration status table in schema '" + schema
              + "' failed: " + e.getMessage() + "; fix the cause (privileges to create the schema, a clashing table,"
              + " a modified migration) and start again", e);
        }
      }
      return new JdbcMigrationStatusStore(source, database, schema);
    }
  }
}
