package dev.tenancy.jdbc.verify;

import dev.tenancy.core.EffectiveConfiguration;
import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantContext;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.TenantSlug;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.health.CheckResult;
import dev.tenancy.core.health.HealthStatus;
import dev.tenancy.core.spi.TenantHealthCheck;
import dev.tenancy.jdbc.RowLevelSecurity;
import dev.tenancy.jdbc.SchemaPerTenant;
import dev.tenancy.jdbc.TenantAwareDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.api.MigrationVersion;
import org.jspecify.annotations.Nullable;

/**
 * A health check that every tenant's rows are where they belong and readable by that tenant only — the data half of
 * the verification after a platform restore, and of the admin API's health endpoints.
 *
 * <p><b>Row-level security</b> ({@link #rowLevelSecurity}): the tenant tables are the tables (not partitions) with the
 * tenant column. Per tenant, it counts the tenant's rows through a data source that bypasses RLS, then reads them
 * through the application's {@link TenantAwareDataSource}: under the tenant's own binding every one of its rows must be
 * visible and no other tenant's, and under the binding of a random tenant none of its rows. The platform-wide form runs
 * {@link IsolationVerifier} (policies, roles, views: a {@code pg_dump} restored without grants, or as another owner,
 * shows here), looks for rows whose tenant column names no tenant the platform knows (orphans: the data and the tenant
 * store come from different points in time), and checks that a platform connection sees no rows.
 *
 * <p><b>Schema per tenant</b> ({@link #schemaPerTenant}): per tenant, the tenant's schema exists and, if an
 * {@link Builder#expectedVersion expected version} is given, its Flyway history is at that version. The platform-wide
 * form finds schemas with the tenant prefix that belong to no tenant, and runs an {@link IsolationVerifier} if given.
 *
 * <p>Findings: {@link HealthStatus#DOWN DOWN} for anything that leaks or loses data (rows hidden from their tenant,
 * rows visible to others, orphans, a missing schema, any isolation finding but the five below);
 * {@link HealthStatus#DEGRADED DEGRADED} for the side channels and slow paths
 * {@link FindingType#POLICY_PER_ROW_SETTING}, {@link FindingType#UNIQUE_WITHOUT_TENANT_COLUMN}, {@link FindingType#SEQUENCE_KEY},
 * {@link FindingType#TENANT_INDEX_MISSING}, {@link FindingType#PRIMARY_KEY_WITHOUT_TENANT_COLUMN}, for a schema at
 * another version, and for a purged tenant whose rows or schema a restore brought back. Results name tables, schemas
 * and counts — never row contents, and never another tenant's id in a tenant's result.
 *
 * <pre>{@code
 * RowOwnershipCheck rows = RowOwnershipCheck.rowLevelSecurity(appDataSource)   // TenantAwareDataSource over RLS
 *     .bypassDataSource(verifierPool)   // a read-only role WITH BYPASSRLS and SELECT on the tenant tables
 *     .schemas("public")
 *     .build();
 * RowOwnershipCheck schemas = RowOwnershipCheck.schemaPerTenant(appDataSource)  // over SchemaPerTenant
 *     .expectedVersion("7")
 *     .build();
 * }</pre>
 *
 * <p>A tenant's check holds two connections of the application's pool and one of the bypass data source at a time;
 * keep the runner's parallelism below the pool size. The platform-wide form reads every tenant table once (a
 * {@code GROUP BY} on the tenant column) inside {@link TenantContext#asPlatform}, which is announced and audited.
 * Counts taken while the application writes may differ for a moment; a mismatch is counted again once before it is
 * reported.
 *
 * @since 0.1.0
 */
public final class RowOwnershipCheck implements TenantHealthCheck {

  /** The check's name, the key of its result. */
  public static final String NAME = "row-ownership";

  /** How many names a result lists before it says "...". */
  static final int LISTED = 10;

  private static final String ACTOR = "tenancy-health";
  private static final Set<FindingType> DEGRADING = EnumSet.of(FindingType.POLICY_PER_ROW_SETTING,
      FindingType.UNIQUE_WITHOUT_TENANT_COLUMN, FindingType.SEQUENCE_KEY, FindingType.TENANT_INDEX_MISSING,
      FindingType.PRIMARY_KEY_WITHOUT_TENANT_COLUMN);
  private static final Pattern TABLE = Pattern.compile("[a-z][a-z0-9_]{0,62}");

  /** What the check does for one isolation strategy. */
  interface Form {
    CheckResult check(Tenant tenant) throws Exception;

    CheckResult checkPlatform(List<Tenant> tenants) throws Exception;
  }

  private final Form form;

  private RowOwnershipCheck(Form form) {
    this.form = form;
  }

  /**
   * Starts a check of shared tables under PostgreSQL row-level security.
   *
   * @param application the application's data source; its strategy must be {@link RowLevelSecurity}
   * @return a builder; {@link Builder#bypassDataSource} is required
   * @throws IllegalArgumentException if the data source uses another strategy
   */
  public static Builder rowLevelSecurity(TenantAwareDataSource application) {
    Objects.requireNonNull(application, "application");
    if (!(application.strategy() instanceof RowLevelSecurity rls)) {
      throw new IllegalArgumentException("rowLevelSecurity(...) needs a TenantAwareDataSource over RowLevelSecurity,"
          + " not " + application.strategy().getClass().getSimpleName());
    }
    return new Builder(application, rls, null);
  }

  /**
   * Starts a check of schema-per-tenant data (PostgreSQL or H2).
   *
   * @param application the application's data source; its strategy must be {@link SchemaPerTenant}
   * @return a builder
   * @throws IllegalArgumentException if the data source uses another strategy
   */
  public static Builder schemaPerTenant(TenantAwareDataSource application) {
    Objects.requireNonNull(application, "application");
    if (!(application.strategy() instanceof SchemaPerTenant strategy)) {
      throw new IllegalArgumentException("schemaPerTenant(...) needs a TenantAwareDataSource over SchemaPerTenant,"
          + " not " + application.strategy().getClass().getSimpleName());
    }
    return new Builder(application, null, strategy);
  }

  @Override
  public String name() {
    return NAME;
  }

  /**
   * Checks one tenant's rows (row-level security) or schema (schema per tenant).
   *
   * @param tenant the tenant
   * @return what was found
   * @throws Exception if the database cannot be read
   */
  @Override
  public CheckResult check(Tenant tenant) throws Exception {
    return form.check(Objects.requireNonNull(tenant, "tenant"));
  }

  /**
   * Checks the isolation set-up and looks for data of no known tenant, inside {@link TenantContext#asPlatform}.
   *
   * @param tenants every tenant the platform knows
   * @return what was found
   * @throws Exception if the database cannot be read
   */
  @Override
  public Optional<CheckResult> checkPlatform(List<Tenant> tenants) throws Exception {
    Objects.requireNonNull(tenants, "tenants");
    return Optional.of(TenantContext.asPlatform(ACTOR, "row-ownership health check: the isolation set-up and data"
        + " owned by no tenant", () -> form.checkPlatform(tenants)));
  }

  @Override
  public String toString() {
    return "RowOwnershipCheck[" + form + "]";
  }

  // ---------------------------------------------------------------- shared by both forms

  /** Sorts the verifier's findings into the two lists; returns how many were accepted (ignored). */
  static int findings(IsolationReport report, Set<FindingType> accepted, List<String> down, List<String> degraded) {
    List<Finding> downs = new ArrayList<>();
    List<Finding> degrading = new ArrayList<>();
    int acceptedCount = 0;
    for (Finding finding : report.findings()) {
      if (accepted.contains(finding.type())) {
        acceptedCount++;
      } else if (DEGRADING.contains(finding.type())) {
        degrading.add(finding);
      } else {
        downs.add(finding);
      }
    }
    if (!downs.isEmpty()) {
      down.add("the isolation set-up lets data leak: " + describe(downs));
    }
    if (!degrading.isEmpty()) {
      degraded.add("the isolation set-up has side channels or slow paths: " + describe(degrading));
    }
    return acceptedCount;
  }

  private static String describe(List<Finding> findings) {
    List<String> shown = findings.stream().limit(3).map(Finding::toString).toList();
    return String.join("; ", shown) + (findings.size() > 3 ? "; and " + (findings.size() - 3) + " more (run"
        + " IsolationVerifier for the full report)" : "");
  }

  static CheckResult summary(List<String> down, List<String> degraded, String fine) {
    if (!down.isEmpty()) {
      List<String> all = new ArrayList<>(down);
      all.addAll(degraded);
      return CheckResult.down(String.join(". ", all));
    }
    return degraded.isEmpty() ? CheckResult.up(fine) : CheckResult.degraded(String.join(". ", degraded));
  }

  static long count(Connection connection, String sql, Object... parameters) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i] instanceof TenantId id ? id.value() : parameters[i]);
      }
      try (ResultSet row = statement.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    }
  }

  static String listed(Map<String, Long> byTable) {
    List<String> parts = new ArrayList<>();
    byTable.forEach((table, rows) -> parts.add(rows + " in " + table));
    return String.join(", ", parts);
  }

  static TenantInfo info(TenantId id, TenantSlug slug, TenantStatus status) {
    return new TenantInfo(id, slug, status, EffectiveConfiguration.none());
  }

  /** Configures a {@link RowOwnershipCheck}; options of the other isolation strategy are refused. */
  public static final class Builder {
    private final TenantAwareDataSource application;
    private final @Nullable RowLevelSecurity rowLevelSecurity;
    private final @Nullable SchemaPerTenant schemaStrategy;
    private @Nullable DataSource bypass;
    private String column = "organization_id";
    private List<String> schemas = List.of();
    private List<TableName> excluded = List.of();
    private @Nullable IsolationVerifier verifier;
    private final Set<FindingType> accepted = EnumSet.noneOf(FindingType.class);
    private @Nullable MigrationVersion expectedVersion;
    private String historyTable = "flyway_schema_history";

    private Builder(TenantAwareDataSource application, @Nullable RowLevelSecurity rowLevelSecurity,
        @Nullable SchemaPerTenant schemaStrategy) {
      this.application = application;
      this.rowLevelSecurity = rowLevelSecurity;
      this.schemaStrategy = schemaStrategy;
    }

    /**
     * Where the check counts every tenant's rows (row-level security): a role that bypasses the policies — a
     * superuser, or better a dedicated read-only role {@code WITH BYPASSRLS} granted {@code SELECT} on the tenant
     * tables. Never the application's pool.
     *
     * @param dataSource a plain data source connecting as that role
     * @return this builder
     */
    public Builder bypassDataSource(DataSource dataSource) {
      requireRls("bypassDataSource");
      this.bypass = Objects.requireNonNull(dataSource, "dataSource");
      return this;
    }

    /**
     * @param name the column that names a row's tenant (default {@code organization_id}); a {@code uuid}
     * @return this builder
     */
    public Builder tenantColumn(String name) {
      requireRls("tenantColumn");
      Objects.requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("tenantColumn must not be blank");
      }
      this.column = name;
      return this;
    }

    /**
     * @param names the only schemas to look for tenant tables in (default: every non-system schema)
     * @return this builder
     */
    public Builder schemas(String... names) {
      requireRls("schemas");
      List<String> list = new ArrayList<>();
      for (String name : Objects.requireNonNull(names, "names")) {
        if (Objects.requireNonNull(name, "schema").isBlank()) {
          throw new IllegalArgumentException("a schema name must not be blank");
        }
        list.add(name);
      }
      this.schemas = list;
      return this;
    }

    /**
     * @param names tables with the tenant column that are deliberately shared, e.g. {@code public.audit_copy}
     * @return this builder
     */
    public Builder excluding(String... names) {
      requireRls("excluding");
      this.excluded = TableName.parseAll(names);
      return this;
    }

    /**
     * The catalog checks of the platform-wide form. Row-level security: by default
     * {@link IsolationVerifier#forPostgres()} with this builder's column, schemas and exclusions and the strategy's
     * setting, run as the application's role. Schema per tenant: none by default; on H2 pass
     * {@link IsolationVerifier#forH2()}.
     *
     * @param isolationVerifier the verifier
     * @return this builder
     */
    public Builder verifier(IsolationVerifier isolationVerifier) {
      this.verifier = Objects.requireNonNull(isolationVerifier, "isolationVerifier");
      return this;
    }

    /**
     * Ignores isolation findings the application has accepted (for example {@link FindingType#SEQUENCE_KEY} on a
     * table whose ids are not secret); they are only counted (fact {@code acceptedFindings}).
     *
     * @param types the finding types to ignore
     * @return this builder
     */
    public Builder acceptFindings(FindingType... types) {
      for (FindingType type : Objects.requireNonNull(types, "types")) {
        accepted.add(Objects.requireNonNull(type, "type"));
      }
      return this;
    }

    /**
     * The Flyway version every tenant schema should be at (schema per tenant); without it only the schema's
     * existence is checked.
     *
     * @param version a Flyway version such as {@code 7} or {@code 2.1}
     * @return this builder
     */
    public Builder expectedVersion(String version) {
      requireSchemas("expectedVersion");
      this.expectedVersion = MigrationVersion.fromVersion(Objects.requireNonNull(version, "version"));
      return this;
    }

    /**
     * @param table the Flyway history table in each tenant schema (default {@code flyway_schema_history})
     * @return this builder
     */
    public Builder historyTable(String table) {
      requireSchemas("historyTable");
      if (!TABLE.matcher(Objects.requireNonNull(table, "table")).matches()) {
        throw new IllegalArgumentException("historyTable must be lower-case letters, digits and '_', starting with a"
            + " letter; was '" + table + "'");
      }
      this.historyTable = table;
      return this;
    }

    /**
     * @return the check
     * @throws IllegalStateException if row-level security has no bypass data source
     */
    public RowOwnershipCheck build() {
      if (rowLevelSecurity != null && bypass == null) {
        throw new IllegalStateException("row-level security hides every row from a role without BYPASSRLS: give the"
            + " check bypassDataSource(...), a read-only role WITH BYPASSRLS (or a superuser)");
      }
      if (rowLevelSecurity != null) {
        IsolationVerifier catalog = verifier;
        if (catalog == null) {
          catalog = IsolationVerifier.forPostgres().tenantColumn(column).setting(rowLevelSecurity.setting());
          catalog = schemas.isEmpty() ? catalog : catalog.schemas(schemas.toArray(String[]::new));
          catalog = excluded.isEmpty() ? catalog : catalog.excluding(excluded.stream().map(TableName::toString)
              .toArray(String[]::new));
        }
        return new RowOwnershipCheck(new RlsRowOwnership(application, Objects.requireNonNull(bypass), column,
            schemas, excluded, catalog, accepted));
      }
      return new RowOwnershipCheck(new SchemaOwnership(application, Objects.requireNonNull(schemaStrategy),
          expectedVersion, historyTable, verifier, accepted));
    }

    private void requireRls(String option) {
      if (rowLevelSecurity == null) {
        throw new IllegalStateException(option + " applies to row-level security checks only");
      }
    }

    private void requireSchemas(String option) {
      if (schemaStrategy == null) {
        throw new IllegalStateException(option + " applies to schema-per-tenant checks only");
      }
    }
  }
}
