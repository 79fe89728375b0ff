package dev.tenancy.jdbc;

import static dev.tenancy.jdbc.SqlIdentifiers.quote;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The row-level security set-up of a list of tenant tables on PostgreSQL, as SQL to review or as one idempotent
 * transaction to apply: RLS enabled and forced, one policy per command, a tenant-leading index and the application
 * role's grants.
 *
 * <pre>{@code
 * RlsPolicies policies = RlsPolicies.builder()
 *     .tables("leads", "deals")
 *     .applicationRole("app")
 *     .build();
 * String migration = String.join(";\n", policies.statements()) + ";";   // review, or save as V7__rls.sql
 * policies.apply(ownerConnection);                                      // or apply it directly, as the owner
 * }</pre>
 *
 * <p>Every policy uses the same predicate, {@code organization_id = (select NULLIF(current_setting('tenancy.tenant_id',
 * true), '')::uuid)}: the scalar sub-select is evaluated once per statement (an InitPlan), not once per row, and an
 * unset or empty setting matches no row at all. The tenant column must be a {@code uuid}. Policies of other names on
 * the same tables are left alone — {@code IsolationVerifier} reports any that let rows through.
 */
public final class RlsPolicies {

  /** The tenant column when none is configured. */
  public static final String DEFAULT_TENANT_COLUMN = "organization_id";

  /** The setting the policies read when none is configured; {@code RowLevelSecurity} binds it on each connection. */
  public static final String DEFAULT_SETTING = "tenancy.tenant_id";

  private static final Pattern SETTING = Pattern.compile("[a-z_][a-z0-9_]*\\.[a-z_][a-z0-9_]*");
  private static final String[] COMMANDS = {"SELECT", "INSERT", "UPDATE", "DELETE"};

  private final String schema;
  private final List<String> tables;
  private final String tenantColumn;
  private final String setting;
  private final String applicationRole;
  private final boolean policiesForAllRoles;

  private RlsPolicies(Builder builder) {
    this.schema = builder.schema;
    this.tables = List.copyOf(builder.tables);
    this.tenantColumn = builder.tenantColumn;
    this.setting = builder.setting;
    this.applicationRole = Objects.requireNonNull(builder.applicationRole, "applicationRole");
    this.policiesForAllRoles = builder.policiesForAllRoles;
  }

  /** @return a builder with the defaults: schema {@code public}, column {@code organization_id}, setting
   *     {@code tenancy.tenant_id}, policies for the application role only */
  public static Builder builder() {
    return new Builder();
  }

  /** @return the tenant tables, unqualified, in the order given */
  public List<String> tables() {
    return tables;
  }

  /** @return the predicate every policy uses in {@code USING} and {@code WITH CHECK} */
  public String predicate() {
    return quote(tenantColumn) + " = (select NULLIF(current_setting('" + setting + "', true), '')::uuid)";
  }

  /**
   * The whole set-up as SQL, without looking at the database: the index is on the tenant column alone and sequences
   * are not granted. {@link #statements(Connection)} tailors both to the actual tables.
   *
   * @return the statements, in order, without trailing semicolons
   */
  public List<String> statements() {
    List<String> sql = new ArrayList<>();
    for (String table : tables) {
      sql.addAll(tableStatements(table, quote(tenantColumn), List.of()));
    }
    return sql;
  }

  /**
   * The set-up as SQL, tailored to the live tables: no index when one already starts with the tenant column, else one
   * on the tenant column followed by the rest of the primary key; {@code USAGE} on the sequences their columns use.
   *
   * @param connection a connection to the database (any role that can read the catalogs)
   * @return the statements, in order
   * @throws SQLException if the catalogs cannot be read
   * @throws dev.tenancy.core.TenancyConfigurationException if a table does not exist
   */
  public List<String> statements(Connection connection) throws SQLException {
    Objects.requireNonNull(connection, "connection");
    List<String> sql = new ArrayList<>();
    for (String table : tables) {
      RlsCatalogQueries.TableFacts facts = RlsCatalogQueries.table(connection, schema, table, tenantColumn);
      @Nullable String indexColumns = null;
      if (!facts.hasTenantLeadingIndex()) {
        StringBuilder columns = new StringBuilder(quote(tenantColumn));
        facts.primaryKey().stream().filter(column -> !column.equals(tenantColumn))
            .forEach(column -> columns.append(", ").append(quote(column)));
        indexColumns = columns.toString();
      }
      sql.addAll(tableStatements(table, indexColumns, facts.sequences()));
    }
    return sql;
  }

  /**
   * Applies the tailored set-up ({@link #statements(Connection)}) over a connection of the tables' owner. With
   * auto-commit on, it runs in a transaction of its own and commits; with auto-commit off it joins the caller's
   * transaction (a Flyway Java migration, say) and leaves the commit to the caller. Running it again changes nothing:
   * policies are dropped and re-created under the same names, the index and grants are idempotent.
   *
   * @param ownerConnection a connection of the role that owns the tables
   * @throws SQLException if a statement fails; with auto-commit on, everything is rolled back
   * @throws UnsafeApplicationRoleException if the application role owns one of the tables, is a superuser or has
   *     BYPASSRLS — row-level security would silently not apply to it; nothing is changed
   * @throws dev.tenancy.core.TenancyConfigurationException if the role or a table does not exist
   */
  public void apply(Connection ownerConnection) throws SQLException {
    Objects.requireNonNull(ownerConnection, "ownerConnection");
    boolean ownTransaction = ownerConnection.getAutoCommit();
    if (ownTransaction) {
      ownerConnection.setAutoCommit(false);
    }
    try {
      RlsCatalogQueries.requireSafeRole(ownerConnection, applicationRole, schema, tables);
      try (Statement statement = ownerConnection.createStatement()) {
        for (String sql : statements(ownerConnection)) {
          statement.execute(sql);
        }
      }
      if (ownTransaction) {
        ownerConnection.commit();
      }
    } catch (SQLException | RuntimeException e) {
      if (ownTransaction) {
        rollbackAndRestore(ownerConnection, e);
      }
      throw e;
    }
    if (ownTransaction) {
      ownerConnection.setAutoCommit(true);
    }
  }

  private List<String> tableStatements(String table, @Nullable String indexColumns, List<String> sequences) {
    String target = quote(schema) + "." + quote(table);
    String role = quote(applicationRole);
    String to = policiesForAllRoles ? "PUBLIC" : role;
    String predicate = "(" + predicate() + ")";
    List<String> sql = new ArrayList<>();
    sql.add("ALTER TABLE " + target + " ENABLE ROW LEVEL SECURITY");
    sql.add("ALTER TABLE " + target + " FORCE ROW LEVEL SECURITY");
    for (String command : COMMANDS) {
      String policy = quote(name(table, command.toLowerCase(Locale.ROOT)));
      sql.add("DROP POLICY IF EXISTS " + policy + " ON " + target);
      String clauses = switch (command) {
        case "INSERT" -> "WITH CHECK " + predicate;
        case "UPDATE" -> "USING " + predicate + " WITH CHECK " + predicate;
        default -> "USING " + predicate;
      };
      sql.add("CREATE POLICY " + policy + " ON " + target + " AS PERMISSIVE FOR " + command + " TO " + to + " "
          + clauses);
    }
    if (indexColumns != null) {
      sql.add("CREATE INDEX IF NOT EXISTS " + quote(name(table, "tenant_idx")) + " ON " + target + " ("
          + indexColumns + ")");
    }
    sql.add("GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE " + target + " TO " + role);
    for (String sequence : sequences) {
      sql.add("GRANT USAGE ON SEQUENCE " + sequence + " TO " + role);
    }
    return sql;
  }

  /**
   * {@code tenancy_<table>_<suffix>}; when that exceeds PostgreSQL's 63 bytes the table part is shortened and a hash of
   * the full name keeps it unique, so two long table names never share a policy name.
   */
  static String name(String table, String suffix) {
    String name = "tenancy_" + table + "_" + suffix;
    if (utf8Length(name) <= SqlIdentifiers.MAX_IDENTIFIER_BYTES) {
      return name;
    }
    String hash = String.format("%08x", name.hashCode());
    int budget = SqlIdentifiers.MAX_IDENTIFIER_BYTES - "tenancy_".length() - hash.length() - suffix.length() - 2;
    StringBuilder part = new StringBuilder();
    for (int codePoint : table.codePoints().toArray()) {
      String next = new String(Character.toChars(codePoint));
      if (utf8Length(part + next) > budget) {
        break;
      }
      part.append(next);
    }
    return "tenancy_" + part + "_" + hash + "_" + suffix;
  }

  private static int utf8Length(String text) {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }

  /** Undoes a failed apply and hands the connection back as it came; a failure here must not hide the first one. */
  private static void rollbackAndRestore(Connection connection, Exception failure) {
    try {
      connection.rollback();
      connection.setAutoCommit(true);
    } catch (SQLException cleanupFailure) {
      failure.addSuppressed(cleanupFailure);
    }
  }

  /** Collects the options of an {@link RlsPolicies}; {@link #build()} validates them. */
  public static final class Builder {
    private String schema = "public";
    private final Set<String> tables = new LinkedHashSet<>();
    private String tenantColumn = DEFAULT_TENANT_COLUMN;
    private String setting = DEFAULT_SETTING;
    private @Nullable String applicationRole;
    private boolean policiesForAllRoles;

    private Builder() {
    }

    /**
     * Sets the schema of the tables; {@code public} by default.
     *
     * @param schema the schema name
     * @return this builder
     */
    public Builder schema(String schema) {
      this.schema = Objects.requireNonNull(schema, "schema");
      return this;
    }

    /**
     * Adds tenant tables.
     *
     * @param names unqualified table names
     * @return this builder
     */
    public Builder tables(String... names) {
      return tables(List.of(Objects.requireNonNull(names, "names")));
    }

    /**
     * Adds tenant tables.
     *
     * @param names unqualified table names
     * @return this builder
     */
    public Builder tables(Collection<String> names) {
      Objects.requireNonNull(names, "names").forEach(name -> tables.add(Objects.requireNonNull(name, "name")));
      return this;
    }

    /**
     * Sets the tenant column; {@code organization_id} by default. It must be of type {@code uuid}.
     *
     * @param column the column name
     * @return this builder
     */
    public Builder tenantColumn(String column) {
      this.tenantColumn = Objects.requireNonNull(column, "column");
      return this;
    }

    /**
     * Sets the setting the policies read; {@code tenancy.tenant_id} by default. It must match what the data source
     * binds on each connection.
     *
     * @param name a name of the form {@code prefix.name}, lower-case letters, digits and underscores
     * @return this builder
     */
    public Builder setting(String name) {
      this.setting = Objects.requireNonNull(name, "name");
      return this;
    }

    /**
     * Sets the role the application connects as: it gets the grants and, unless {@link #policiesForAllRoles()}, the
     * policies apply to it alone. Required.
     *
     * @param role the role name; must not own the tables nor be a superuser nor have BYPASSRLS
     * @return this builder
     */
    public Builder applicationRole(String role) {
      this.applicationRole = Objects.requireNonNull(role, "role");
      return this;
    }

    /**
     * Makes the policies apply {@code TO PUBLIC}, i.e. to every role subject to row-level security (including the
     * owner, because RLS is forced), instead of the application role only.
     *
     * @return this builder
     */
    public Builder policiesForAllRoles() {
      this.policiesForAllRoles = true;
      return this;
    }

    /**
     * Validates the options.
     *
     * @return the set-up
     * @throws IllegalArgumentException if no table or no application role is given, the role is {@code public}, the
     *     setting is not of the form {@code prefix.name}, or a name cannot be an SQL identifier
     */
    public RlsPolicies build() {
      if (tables.isEmpty()) {
        throw new IllegalArgumentException("Name at least one tenant table: RlsPolicies.builder().tables(\"leads\")");
      }
      if (applicationRole == null || "public".equalsIgnoreCase(applicationRole)) {
        throw new IllegalArgumentException("Name the role the application connects as: .applicationRole(\"app\");"
            + " 'public' is not a role that can be granted to safely");
      }
      if (!SETTING.matcher(setting).matches()) {
        throw new IllegalArgumentException("A setting name is two lower-case parts like tenancy.tenant_id, matching "
            + SETTING.pattern() + "; was '" + setting + "'");
      }
      quote(schema);
      quote(tenantColumn);
      quote(applicationRole);
      tables.forEach(SqlIdentifiers::quote);
      return new RlsPolicies(this);
    }
  }
}
