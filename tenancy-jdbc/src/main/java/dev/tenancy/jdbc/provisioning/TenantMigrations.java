package dev.tenancy.jdbc.provisioning;

import dev.tenancy.core.Tenant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The application's per-tenant Flyway migrations, as both provisioning steps run them: the locations, the history
 * table, and the placeholders {@code ${tenant_id}}, {@code ${tenant_slug}} and {@code ${tenant_schema}} (plus the
 * application's own) that migrations may use, e.g. for grants or seed rows.
 */
final class TenantMigrations {

  /** The default location of tenant migrations. */
  static final String DEFAULT_LOCATION = "classpath:db/tenant";

  private static final Pattern TABLE = Pattern.compile("[a-z][a-z0-9_]{0,62}");

  private final List<String> locations;
  private final String historyTable;
  private final Map<String, String> placeholders;

  TenantMigrations(List<String> locations, String historyTable, Map<String, String> placeholders) {
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

  /**
   * Runs the pending migrations.
   *
   * @param configuration Flyway, pointed at the tenant's database
   * @param tenant the tenant, for the placeholders
   * @param schema the schema the migrations run in and the history table lives in
   * @return Flyway's report
   * @throws org.flywaydb.core.api.FlywayException if a migration fails
   */
  MigrateResult migrate(FluentConfiguration configuration, Tenant tenant, String schema) {
    Map<String, String> values = new HashMap<>(placeholders);
    values.put("tenant_id", tenant.id().toString());
    values.put("tenant_slug", tenant.slug().value());
    values.put("tenant_schema", schema);
    return configuration
        .schemas(schema)
        .table(historyTable)
        .locations(locations.toArray(String[]::new))
        .failOnMissingLocations(true)
        .placeholders(values)
        .load()
        .migrate();
  }

  /** @return a Flyway configuration that finds classpath locations through the thread's context class loader */
  static FluentConfiguration configure() {
    return Flyway.configure();
  }

  @Override
  public String toString() {
    return locations + " (history " + historyTable + ")";
  }
}
