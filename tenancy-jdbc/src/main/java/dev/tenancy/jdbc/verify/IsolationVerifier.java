package dev.tenancy.jdbc.verify;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Inspects a live database through its catalogs and reports every way its tenant tables could leak data between
 * tenants. Immutable: each option returns a new verifier, so one configured instance can be shared by many tests.
 *
 * <pre>{@code
 * IsolationReport report = IsolationVerifier.forPostgres()
 *     .tenantColumn("organization_id")
 *     .applicationRole("app")
 *     .verify(ownerOrAppDataSource);
 * report.assertClean();
 * }</pre>
 *
 * <p>On PostgreSQL the tenant tables are the ordinary and partitioned tables that have the tenant column (in every
 * non-system schema, or in the {@link #schemas schemas} given), plus the {@link #tables declared} ones, minus the
 * {@link #excluding excluded} ones; {@link FindingType} lists what is checked. Expressions are read in PostgreSQL's
 * own deparsed form, so the checks for a policy's shape are textual and deliberately strict: write policies the way
 * {@link dev.tenancy.jdbc.RlsPolicies} does.
 *
 * <p>On H2 ({@link #forH2()}, schema per tenant) the tenant schemas are those whose name starts with the
 * {@link #tenantSchemaPrefix prefix}; every one must hold the same tables (the declared ones, or else all tables found
 * in any tenant schema), and the shared schema must hold none of them nor any table with the tenant column.
 */
public final class IsolationVerifier {

  private static final Pattern SETTING = Pattern.compile("[a-z_][a-z0-9_]*\\.[a-z_][a-z0-9_]*");

  enum Dialect { POSTGRES, H2 }

  private final Dialect dialect;
  private final String tenantColumn;
  private final String setting;
  private final @Nullable String applicationRole;
  private final List<String> schemas;
  private final List<TableName> tables;
  private final List<TableName> excluded;
  private final String tenantSchemaPrefix;
  private final String sharedSchema;

  private IsolationVerifier(Dialect dialect, String tenantColumn, String setting, @Nullable String applicationRole,
      List<String> schemas, List<TableName> tables, List<TableName> excluded, String tenantSchemaPrefix,
      String sharedSchema) {
    this.dialect = dialect;
    this.tenantColumn = tenantColumn;
    this.setting = setting;
    this.applicationRole = applicationRole;
    this.schemas = List.copyOf(schemas);
    this.tables = List.copyOf(tables);
    this.excluded = List.copyOf(excluded);
    this.tenantSchemaPrefix = tenantSchemaPrefix;
    this.sharedSchema = sharedSchema;
  }

  /**
   * A verifier for PostgreSQL row-level security: tenant column {@code organization_id}, setting
   * {@code tenancy.tenant_id}, application role = the role the verified connection logs in as, all schemas.
   *
   * @return the verifier
   */
  public static IsolationVerifier forPostgres() {
    return new IsolationVerifier(Dialect.POSTGRES, "organization_id", "tenancy.tenant_id", null, List.of(), List.of(),
        List.of(), "tenant_", "public");
  }

  /**
   * A verifier for schema-per-tenant databases on H2: tenant schemas start with {@code tenant_}, the shared schema is
   * {@code PUBLIC}, a table with an {@code organization_id} column in it counts as tenant-shaped.
   *
   * @return the verifier
   */
  public static IsolationVerifier forH2() {
    return new IsolationVerifier(Dialect.H2, "organization_id", "tenancy.tenant_id", null, List.of(), List.of(),
        List.of(), "tenant_", "PUBLIC");
  }

  /**
   * Sets the column that names a row's tenant.
   *
   * @param column the column name, e.g. {@code organization_id}
   * @return a verifier with that column
   */
  public IsolationVerifier tenantColumn(String column) {
    return new IsolationVerifier(dialect, nonBlank(column, "column"), setting, applicationRole, schemas, tables,
        excluded, tenantSchemaPrefix, sharedSchema);
  }

  /**
   * Sets the setting the policies must read the tenant from (PostgreSQL).
   *
   * @param name a two-part lower-case name such as {@code tenancy.tenant_id}
   * @return a verifier with that setting
   * @throws IllegalArgumentException if the name is not of the form {@code prefix.name}
   */
  public IsolationVerifier setting(String name) {
    requireDialect(Dialect.POSTGRES, "setting");
    if (!SETTING.matcher(Objects.requireNonNull(name, "name")).matches()) {
      throw new IllegalArgumentException("A setting name is two lower-case parts like tenancy.tenant_id; was '" + name
          + "'");
    }
    return new IsolationVerifier(dialect, tenantColumn, name, applicationRole, schemas, tables, excluded,
        tenantSchemaPrefix, sharedSchema);
  }

  /**
   * Sets the role the application connects as (PostgreSQL); by default the role of the verified connection.
   *
   * @param role the role name
   * @return a verifier checking that role
   */
  public IsolationVerifier applicationRole(String role) {
    requireDialect(Dialect.POSTGRES, "applicationRole");
    return new IsolationVerifier(dialect, tenantColumn, setting, nonBlank(role, "role"), schemas, tables, excluded,
        tenantSchemaPrefix, sharedSchema);
  }

  /**
   * Limits the search for tenant tables to these schemas (PostgreSQL); views and functions are checked everywhere.
   *
   * @param schemaNames the schemas
   * @return a verifier searching only there
   */
  public IsolationVerifier schemas(String... schemaNames) {
    requireDialect(Dialect.POSTGRES, "schemas");
    List<String> list = new ArrayList<>();
    for (String schema : Objects.requireNonNull(schemaNames, "schemaNames")) {
      list.add(nonBlank(schema, "schema"));
    }
    return new IsolationVerifier(dialect, tenantColumn, setting, applicationRole, list, tables, excluded,
        tenantSchemaPrefix, sharedSchema);
  }

  /**
   * Declares tables that must be tenant tables. On PostgreSQL they are checked even if they lack the tenant column
   * (which is then a finding); on H2 they are the tables every tenant schema must hold.
   *
   * @param names table names, optionally schema-qualified ({@code public.leads})
   * @return a verifier with those tables declared
   */
  public IsolationVerifier tables(String... names) {
    return new IsolationVerifier(dialect, tenantColumn, setting, applicationRole, schemas, TableName.parseAll(names),
        excluded, tenantSchemaPrefix, sharedSchema);
  }

  /**
   * Excludes tables that have the tenant column but are deliberately shared, e.g. a platform-only audit table.
   *
   * @param names table names, optionally schema-qualified
   * @return a verifier that skips them
   */
  public IsolationVerifier excluding(String... names) {
    return new IsolationVerifier(dialect, tenantColumn, setting, applicationRole, schemas, tables,
        TableName.parseAll(names), tenantSchemaPrefix, sharedSchema);
  }

  /**
   * Sets the prefix of tenant schemas (H2).
   *
   * @param prefix e.g. {@code tenant_}; compared case-insensitively
   * @return a verifier with that prefix
   */
  public IsolationVerifier tenantSchemaPrefix(String prefix) {
    requireDialect(Dialect.H2, "tenantSchemaPrefix");
    return new IsolationVerifier(dialect, tenantColumn, setting, applicationRole, schemas, tables, excluded,
        nonBlank(prefix, "prefix"), sharedSchema);
  }

  /**
   * Sets the shared schema that must hold no tenant data (H2); {@code PUBLIC} by default.
   *
   * @param schema the schema name
   * @return a verifier checking that schema
   */
  public IsolationVerifier sharedSchema(String schema) {
    requireDialect(Dialect.H2, "sharedSchema");
    return new IsolationVerifier(dialect, tenantColumn, setting, applicationRole, schemas, tables, excluded,
        tenantSchemaPrefix, nonBlank(schema, "schema"));
  }

  /**
   * Verifies the database behind a data source. Pass the plain pool or an owner's data source, not a
   * {@code TenantAwareDataSource} (which refuses connections without a tenant).
   *
   * @param dataSource where to connect; the role only needs to read the catalogs
   * @return the report
   * @throws SQLException if the catalogs cannot be read
   * @throws dev.tenancy.core.TenancyConfigurationException if the application role does not exist
   */
  public IsolationReport verify(DataSource dataSource) throws SQLException {
    Objects.requireNonNull(dataSource, "dataSource");
    try (Connection connection = dataSource.getConnection()) {
      return verify(connection);
    }
  }

  /**
   * Verifies the database of an open connection, which is left open and unchanged.
   *
   * @param connection the connection
   * @return the report
   * @throws SQLException if the catalogs cannot be read
   * @throws dev.tenancy.core.TenancyConfigurationException if the application role does not exist
   */
  public IsolationReport verify(Connection connection) throws SQLException {
    Objects.requireNonNull(connection, "connection");
    if (dialect == Dialect.H2) {
      return new SchemaPerTenantChecks(tenantColumn, tables, tenantSchemaPrefix, sharedSchema).run(connection);
    }
    PostgresCatalog catalog = PostgresCatalog.load(connection, applicationRole, tenantColumn, schemas, tables, excluded);
    return new PostgresChecks(catalog, tenantColumn, setting).run();
  }

  @Override
  public String toString() {
    return "IsolationVerifier[" + dialect + ", tenantColumn=" + tenantColumn
        + (dialect == Dialect.POSTGRES ? ", setting=" + setting + ", applicationRole="
            + (applicationRole == null ? "<connection's role>" : applicationRole)
            : ", tenantSchemaPrefix=" + tenantSchemaPrefix + ", sharedSchema=" + sharedSchema) + "]";
  }

  private void requireDialect(Dialect required, String option) {
    if (dialect != required) {
      throw new IllegalStateException(option + " applies to " + required + " verifiers only, not " + dialect);
    }
  }

  private static String nonBlank(String value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
    return value;
  }
}
