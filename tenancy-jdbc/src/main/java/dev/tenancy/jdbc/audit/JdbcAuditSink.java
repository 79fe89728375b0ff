package dev.tenancy.jdbc.audit;

import dev.tenancy.core.TenancyConfigurationException;
import dev.tenancy.core.audit.AuditChainConflictException;
import dev.tenancy.core.audit.AuditRecord;
import dev.tenancy.core.audit.AuditRecordCodec;
import dev.tenancy.core.audit.AuditStorageException;
import dev.tenancy.core.spi.AuditSink;
import dev.tenancy.jdbc.SqlIdentifiers;
import dev.tenancy.jdbc.internal.LibraryMigrations;
import dev.tenancy.jdbc.internal.LibraryMigrations.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.flywaydb.core.api.FlywayException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link AuditSink} in a PostgreSQL or H2 table, {@code <schema>.audit_records}: one row per sealed record, its
 * canonical JSON stored verbatim as text (exactly what {@link AuditRecordCodec#toJson(AuditRecord)} wrote, over which
 * the hashes were taken), keyed by {@code (chain, sequence)}.
 *
 * <p><b>Writes.</b> {@link #append} inserts a batch with one JDBC batch in one transaction and returns after the
 * commit: with PostgreSQL's default {@code synchronous_commit = on} the records then survive a crash of the process and
 * of the database server. A record whose position is already taken (another app instance appended to the chain first)
 * fails the whole batch with {@link AuditChainConflictException}; nothing of it is stored.
 *
 * <p><b>Append-only on PostgreSQL.</b> The application should connect as a role that does not own the table and has
 * only what {@link #grantSql(String, String)} grants: INSERT and SELECT on the table, and EXECUTE on the two functions
 * that retention ({@link #deleteBefore}) and erasure ({@link #erase}) go through. A trigger refuses UPDATE, DELETE and
 * TRUNCATE to every role, the owner included; only those two functions, running as the owner, may remove records.
 * Create the table as the owner: give the owner's DataSource to {@link Builder#migrationDataSource} (which also grants
 * the application role its privileges), or apply the scripts under {@code dev/tenancy/jdbc/audit/postgresql/} and
 * {@link #grantSql} yourself and turn {@link Builder#migrate} off. On H2 (the
 * embedded default) the table is the same but has no trigger: H2 runs inside the application's process, which can
 * change anything it holds.
 *
 * <p><b>Reads</b> stream with a database cursor ({@value #FETCH_SIZE} rows per round trip) and hold a connection until
 * the stream is closed: always read in try-with-resources. A stored text that is not a record fails the read with
 * {@link AuditStorageException}, which {@code AuditVerifier} reports as {@code UNREADABLE} at that position.
 *
 * <p>Give it a plain DataSource, never a tenant-bound one: the audit writer runs on a background thread without a
 * tenant, and the table holds every tenant's chain.
 *
 * <pre>{@code
 * JdbcAuditSink sink = JdbcAuditSink.builder()
 *     .dataSource(auditPool)                    // the app role: gets INSERT, SELECT, EXECUTE (grantSql)
 *     .migrationDataSource(ownerDataSource)     // the table's owner creates table, trigger, functions, grants
 *     .build();
 * }</pre>
 */
public final class JdbcAuditSink implements AuditSink {

  /** The Flyway history table of the sink's own migrations, in its schema. */
  public static final String HISTORY_TABLE = "tenancy_audit_schema_history";
  /** The schema the table lives in unless {@link Builder#schema} says otherwise. */
  public static final String DEFAULT_SCHEMA = "tenancy_audit";
  /** Rows fetched per round trip when reading. */
  public static final int FETCH_SIZE = 512;

  private static final Logger LOG = LoggerFactory.getLogger(JdbcAuditSink.class);
  private static final Pattern SCHEMA = Pattern.compile("[a-z][a-z0-9_]{0,62}");
  // Event times are kept to the microsecond; both databases store these years.
  private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
  private static final Instant LATEST = Instant.parse("+10000-01-01T00:00:00Z");

  private final DataSource dataSource;
  private final Database database;
  private final String schema;
  private final AuditStatements sql;

  private JdbcAuditSink(DataSource dataSource, Database database, String schema) {
    this.dataSource = dataSource;
    this.database = database;
    this.schema = schema;
    this.sql = new AuditStatements(database, schema);
  }

  /** @return a builder; only {@link Builder#dataSource} is required */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * What the application role needs on PostgreSQL, for the table in {@value #DEFAULT_SCHEMA}; see
   * {@link #grantSql(String, String)}.
   *
   * @param role the application's role
   * @return the statements, to run as the table's owner
   */
  public static List<String> grantSql(String role) {
    return grantSql(DEFAULT_SCHEMA, role);
  }

  /**
   * What the application role needs on PostgreSQL, and nothing more: USAGE on the schema, INSERT and SELECT on the
   * table, EXECUTE on the functions that remove records for retention and erasure. Leave out the last statement for a
   * role that must not remove records at all. Run the statements as the table's owner, after the migration.
   *
   * <pre>{@code
   * for (String statement : JdbcAuditSink.grantSql("tenancy_audit", "app")) {
   *   owner.createStatement().execute(statement);
   * }
   * }</pre>
   *
   * @param schema the sink's schema
   * @param role the application's role, which must not own the table
   * @return the statements, to run in this order
   * @throws IllegalArgumentException if the schema name is invalid or the role name cannot be quoted
   */
  public static List<String> grantSql(String schema, String role) {
    String quotedSchema = SqlIdentifiers.quote(validSchema(schema));
    String quotedRole = SqlIdentifiers.quote(Objects.requireNonNull(role, "role"));
    return List.of(
        "GRANT USAGE ON SCHEMA " + quotedSchema + " TO " + quotedRole,
        "GRANT SELECT, INSERT ON " + quotedSchema + ".audit_records TO " + quotedRole,
        "GRANT EXECUTE ON FUNCTION " + quotedSchema + ".audit_delete_before(TEXT, BIGINT), " + quotedSchema
            + ".audit_erase(TEXT) TO " + quotedRole);
  }

  /**
   * {@inheritDoc}
   *
   * <p>One transaction and one JDBC batch; durable when this returns (see the class comment).
   */
  @Override
  public void append(List<AuditRecord> records) {
    Objects.requireNonNull(records, "records");
    if (records.isEmpty()) {
      return;
    }
    // Encoded before the connection is taken, so the transaction lasts only as long as the database needs.
    String[] texts = new String[records.size()];
    for (int i = 0; i < texts.length; i++) {
      texts[i] = AuditRecordCodec.toJson(Objects.requireNonNull(records.get(i), "records must not contain null"));
    }
    try (Connection connection = dataSource.getConnection()) {
      BatchInsert.insert(connection, sql.insert, records, texts);
    } catch (SQLException e) {
      if (BatchInsert.isUniqueViolation(e)) {
        throw BatchInsert.conflict(dataSource, sql.stored, records, e);
      }
      throw failure("append " + records.size() + " audit records", e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Ordered by the stored sequence; streamed. Close the stream: it holds a connection.
   */
  @Override
  public Stream<AuditRecord> read(String chain, long fromSequence, long toSequence) {
    Objects.requireNonNull(chain, "chain");
    if (toSequence < fromSequence) {
      return Stream.empty();
    }
    return stream(sql.read, chain, statement -> {
      statement.setString(1, chain);
      statement.setLong(2, fromSequence);
      statement.setLong(3, toSequence);
    });
  }

  /**
   * {@inheritDoc}
   *
   * <p>Uses the index on {@code (chain, event_time)}; streamed. Close the stream: it holds a connection.
   */
  @Override
  public Stream<AuditRecord> readBetween(String chain, Instant from, Instant to) {
    Objects.requireNonNull(chain, "chain");
    // Event times lie on whole microseconds, which is all the column keeps: rounding both bounds up keeps
    // "from <= time < to" exact, where the driver's own rounding of a nanosecond bound might not.
    Instant lower = ceilingMicros(clamp(Objects.requireNonNull(from, "from")));
    Instant upper = ceilingMicros(clamp(Objects.requireNonNull(to, "to")));
    if (!lower.isBefore(upper)) {
      return Stream.empty();
    }
    return stream(sql.readBetween, chain, statement -> {
      statement.setString(1, chain);
      statement.setObject(2, OffsetDateTime.ofInstant(lower, ZoneOffset.UTC));
      statement.setObject(3, OffsetDateTime.ofInstant(upper, ZoneOffset.UTC));
    });
  }

  private Stream<AuditRecord> stream(String query, String chain, RecordCursor.Binder binder) {
    Connection connection;
    try {
      connection = dataSource.getConnection();
    } catch (SQLException e) {
      throw failure("read audit chain " + chain, e);
    }
    try {
      return RecordCursor.open(connection, query, FETCH_SIZE, chain, binder);
    } catch (SQLException e) {
      throw failure("read audit chain " + chain, e);
    }
  }

  @Override
  public Optional<AuditRecord> last(String chain) {
    Objects.requireNonNull(chain, "chain");
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = connection.prepareStatement(sql.last)) {
      select.setString(1, chain);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? Optional.of(RecordCursor.record(rows, chain)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw failure("read the last record of audit chain " + chain, e);
    }
  }

  @Override
  public Set<String> chains() {
    Set<String> chains = new TreeSet<>();
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = connection.prepareStatement(sql.chains);
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        chains.add(rows.getString(1));
      }
    } catch (SQLException e) {
      throw failure("list the audit chains", e);
    }
    return chains;
  }

  /**
   * {@inheritDoc}
   *
   * <p>On PostgreSQL through the owner's function {@code audit_delete_before}, the one way past the append-only
   * trigger; the role needs EXECUTE on it ({@link #grantSql}).
   */
  @Override
  public long deleteBefore(String chain, long beforeSequence) {
    Objects.requireNonNull(chain, "chain");
    return remove(sql.deleteBefore, "remove the records of audit chain " + chain + " below " + beforeSequence,
        statement -> {
          statement.setString(1, chain);
          statement.setLong(2, beforeSequence);
        });
  }

  /**
   * {@inheritDoc}
   *
   * <p>On PostgreSQL through the owner's function {@code audit_erase}; the role needs EXECUTE on it
   * ({@link #grantSql}).
   */
  @Override
  public long erase(String chain) {
    Objects.requireNonNull(chain, "chain");
    return remove(sql.erase, "erase audit chain " + chain, statement -> statement.setString(1, chain));
  }

  private long remove(String statementSql, String action, RecordCursor.Binder binder) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(statementSql)) {
      binder.bind(statement);
      if (database == Database.H2) {
        return statement.executeLargeUpdate();
      }
      try (ResultSet count = statement.executeQuery()) {
        count.next();
        return count.getLong(1);
      }
    } catch (SQLException e) {
      throw failure(action, e);
    }
  }

  @Override
  public String toString() {
    return "JdbcAuditSink[" + database.folder() + ", schema=" + schema + "]";
  }

  private static AuditStorageException failure(String action, SQLException cause) {
    return new AuditStorageException("JdbcAuditSink could not " + action + " (SQLState " + cause.getSQLState() + ": "
        + cause.getMessage() + "); check that the database is reachable, that the sink's table was migrated, and that"
        + " its role has what JdbcAuditSink.grantSql(...) grants", cause);
  }

  private static Instant ceilingMicros(Instant instant) {
    Instant truncated = instant.truncatedTo(ChronoUnit.MICROS);
    return truncated.equals(instant) ? truncated : truncated.plus(1, ChronoUnit.MICROS);
  }

  private static Instant clamp(Instant instant) {
    return instant.isBefore(EARLIEST) ? EARLIEST : instant.isAfter(LATEST) ? LATEST : instant;
  }

  private static String validSchema(String schema) {
    if (!SCHEMA.matcher(Objects.requireNonNull(schema, "schema")).matches()) {
      throw new IllegalArgumentException("schema must be lower-case letters, digits and '_', starting with a letter"
          + " (at most 63); was '" + schema + "'");
    }
    return schema;
  }

  /** Configures a {@link JdbcAuditSink}; {@link #build()} checks the options, migrates and checks the table. */
  public static final class Builder {

    private @Nullable DataSource dataSource;
    private @Nullable DataSource migrationDataSource;
    private String schema = DEFAULT_SCHEMA;
    private boolean migrate = true;

    private Builder() {
    }

    /**
     * The DataSource the sink writes and reads with: a plain one (normally a HikariCP pool), never tenant-bound. On
     * PostgreSQL its role should not own the table and should have only what {@link #grantSql} grants.
     *
     * @param dataSource a PostgreSQL or H2 DataSource
     * @return this builder
     */
    public Builder dataSource(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
      return this;
    }

    /**
     * The DataSource that creates or upgrades the table, as the role that is to own it (on PostgreSQL the owner can
     * disable the append-only trigger, the application role must not). On PostgreSQL {@link #build()} then also
     * grants the role of {@link #dataSource} what {@link #grantSql(String, String)} lists — INSERT, SELECT and EXECUTE
     * on the removal functions, nothing more. Default: none, {@link #dataSource} migrates, which suits H2 and
     * development.
     *
     * @param dataSource the owner's DataSource, used only by {@link #build()}
     * @return this builder
     */
    public Builder migrationDataSource(DataSource dataSource) {
      this.migrationDataSource = Objects.requireNonNull(dataSource, "migrationDataSource");
      return this;
    }

    /**
     * The schema of the table and its migration history; created if missing.
     *
     * @param schema lower-case letters, digits and {@code _}, starting with a letter; default
     *     {@value #DEFAULT_SCHEMA}
     * @return this builder
     */
    public Builder schema(String schema) {
      this.schema = Objects.requireNonNull(schema, "schema");
      return this;
    }

    /**
     * Whether {@link #build()} creates or upgrades the table with Flyway (history table {@value #HISTORY_TABLE}). Turn
     * it off when the scripts under {@code dev/tenancy/jdbc/audit/} are applied by other means; the PostgreSQL script
     * names its schema through Flyway's {@code ${flyway:defaultSchema}} placeholder.
     *
     * @param enabled default {@code true}
     * @return this builder
     */
    public Builder migrate(boolean enabled) {
      this.migrate = enabled;
      return this;
    }

    /**
     * Checks the options, migrates the table (unless turned off; with a {@link #migrationDataSource} also grants the
     * sink's role its privileges) and checks that the sink's role can read it. On
     * PostgreSQL it logs a warning when that role could disable the append-only trigger (it owns the table or is a
     * superuser).
     *
     * @return the sink
     * @throws IllegalStateException if no DataSource was given
     * @throws IllegalArgumentException if the schema name is invalid
     * @throws TenancyConfigurationException if the database is neither PostgreSQL nor H2
     * @throws AuditStorageException if the database cannot be reached or migrated, or the table cannot be read
     */
    public JdbcAuditSink build() {
      DataSource source = dataSource;
      if (source == null) {
        throw new IllegalStateException("JdbcAuditSink needs a DataSource: call dataSource(...) with a plain"
            + " (not tenant-bound) DataSource whose role may insert into and read the audit table");
      }
      validSchema(schema);
      Database database;
      String role;
      try (Connection connection = source.getConnection()) {
        database = LibraryMigrations.detect(connection, "JdbcAuditSink", "AuditSink");
        role = database == Database.POSTGRESQL ? currentUser(connection) : "";
      } catch (SQLException e) {
        throw failure("connect to its database", e);
      }
      DataSource owner = migrationDataSource;
      if (migrate) {
        migrate(owner == null ? source : owner, database);
        if (owner != null && database == Database.POSTGRESQL) {
          grant(owner, role);
        }
      }
      JdbcAuditSink sink = new JdbcAuditSink(source, database, schema);
      sink.check();
      return sink;
    }

    private void grant(DataSource owner, String role) {
      try (Connection connection = owner.getConnection();
          Statement statement = connection.createStatement()) {
        for (String grant : grantSql(schema, role)) {
          statement.execute(grant);
        }
      } catch (SQLException e) {
        throw failure("grant role " + role + " what it needs on the audit table as its owner", e);
      }
    }

    private static String currentUser(Connection connection) throws SQLException {
      try (PreparedStatement select = connection.prepareStatement("SELECT current_user");
          ResultSet rows = select.executeQuery()) {
        rows.next();
        return rows.getString(1);
      }
    }

    private void migrate(DataSource source, Database database) {
      try {
        LibraryMigrations.migrate(source, schema, HISTORY_TABLE,
            "classpath:dev/tenancy/jdbc/audit/" + database.folder(), JdbcAuditSink.class.getClassLoader());
      } catch (FlywayException e) {
        throw new AuditStorageException("Migrating the audit table in schema '" + schema + "' failed: "
            + e.getMessage() + "; fix the cause (on PostgreSQL flyway-database-postgresql must be on the class path;"
            + " the migrating role needs the privilege to create the schema: migrate as the role that is to own the"
            + " table with migrationDataSource(...); a modified migration), or turn migrate(false) on when the"
            + " scripts were applied by other means", e);
      }
    }
  }

  /** Fails fast on a table that is missing or unreadable, and warns about a role that could bypass the trigger. */
  private void check() {
    try (Connection connection = dataSource.getConnection()) {
      try (PreparedStatement probe = connection.prepareStatement(sql.probe)) {
        probe.executeQuery().close();
      }
      if (database == Database.POSTGRESQL && canDisableTrigger(connection)) {
        LOG.warn("JdbcAuditSink's DataSource connects as a role that owns {} or is a superuser: it could disable the"
            + " append-only trigger and rewrite the audit trail. Connect as a role with only what"
            + " JdbcAuditSink.grantSql(\"{}\", role) grants, and migrate as the owner with migrationDataSource(...)",
            sql.table, schema);
      }
    } catch (SQLException e) {
      throw failure("read its table " + sql.table, e);
    }
  }

  private boolean canDisableTrigger(Connection connection) throws SQLException {
    try (PreparedStatement owner = connection.prepareStatement("SELECT r.rolsuper OR pg_has_role(current_user,"
        + " c.relowner, 'MEMBER') FROM pg_class c, pg_roles r WHERE c.oid = to_regclass(?) AND r.rolname ="
        + " current_user")) {
      owner.setString(1, sql.table);
      try (ResultSet rows = owner.executeQuery()) {
        return rows.next() && rows.getBoolean(1);
      }
    }
  }
}
