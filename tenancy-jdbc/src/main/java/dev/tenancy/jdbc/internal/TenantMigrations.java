package dev.tenancy.jdbc.internal;

import dev.tenancy.core.Tenant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;
import org.jspecify.annotations.Nullable;

/**
 * The application's per-tenant Flyway migrations, as the provisioning steps and the migration waves both run them:
 * the locations, the history table, and the placeholders {@code ${tenant_id}}, {@code ${tenant_slug}} and
 * {@code ${tenant_schema}} (plus the application's own) that migrations may use, e.g. for grants or seed rows. One
 * definition, so that upgrading a tenant later runs exactly what provisioning ran.
 */
public final class TenantMigrations {

  /** The default location of tenant migrations. */
  public static final String DEFAULT_LOCATION = "classpath:db/tenant";
  /** The default name of Flyway's history table. */
  public static final String DEFAULT_HISTORY_TABLE = "flyway_schema_history";

  private static final Pattern TABLE = Pattern.compile("[a-z][a-z0-9_]{0,62}");

  private final List<String> locations;
  private final String historyTable;
  private final Map<String, String> placeholders;

  /**
   * @param locations Flyway locations, at least one
   * @param historyTable the history table's name: lower-case letters, digits and {@code _}
   * @param placeholders the application's own placeholders
   * @throws IllegalArgumentException if there is no location or the table name is malformed
   */
  public TenantMigrations(List<String> locations, String historyTable, Map<String, String> placeholders) {
    if (locations.isEmpty()) {
      throw new IllegalArgumentException("At least one Flyway location of tenant migrations is needed, e.g. "
          + DEFAULT_LOCATION);
    }
    if (!TABLE.matcher(historyTable).matches()) {
      throw new IllegalArgumentException("historyTable must be lower-case letters, digits and '_', starting with a"
          + " letter; was '" + historyTable + "'");
    }
    this.locations = List.copyOf(locations);
    this.historyTable = historyTable;
    this.placeholders = Map.copyOf(placeholders);
  }

  /** @return the name of Flyway's history table in each tenant schema or database */
  public String historyTable() {
    return historyTable;
  }

  /**
   * Runs the pending migrations.
   *
   * @param configuration Flyway, pointed at the tenant's database
   * @param tenant the tenant, for the placeholders
   * @param schema the schema the migrations run in and the history table lives in
   * @return Flyway's report
   * @throws org.flywaydb.core.api.FlywayException if a migration fails
   */
  public MigrateResult migrate(FluentConfiguration configuration, Tenant tenant, String schema) {
    return apply(configuration, tenant, schema).load().migrate();
  }

  /**
   * Points a configuration at one schema with these migrations.
   *
   * @param configuration Flyway, pointed at the tenant's database
   * @param tenant the tenant, for the placeholders; {@code null} for a schema that tenants share (no tenant
   *     placeholders then)
   * @param schema the schema the migrations run in and the history table lives in
   * @return the configuration, ready to {@code load()}
   */
  public FluentConfiguration apply(FluentConfiguration configuration, @Nullable Tenant tenant, String schema) {
    Objects.requireNonNull(schema, "schema");
    Map<String, String> values = new HashMap<>(placeholders);
    if (tenant != null) {
      values.put("tenant_id", tenant.id().toString());
      values.put("tenant_slug", tenant.slug().value());
      values.put("tenant_schema", schema);
    }
    return configuration
        .schemas(schema)
        .table(historyTable)
        .locations(locations.toArray(String[]::new))
        .failOnMissingLocations(true)
        .placeholders(values);
  }

  /** @return a Flyway configuration that finds classpath locations through the thread's context class loader */
  public static FluentConfiguration configure() {
    return Flyway.configure();
  }

  /**
   * @param classLoader the class loader that sees the migrations
   * @return a Flyway configuration that finds classpath locations through that class loader
   */
  public static FluentConfiguration configure(ClassLoader classLoader) {
    return Flyway.configure(classLoader);
  }

  @Override
  public String toString() {
    return locations + " (history " + historyTable + ")";
  }
}
