package dev.tenancy.jdbc.verify;

import static dev.tenancy.jdbc.SqlIdentifiers.quote;
import static dev.tenancy.jdbc.verify.RowOwnershipCheck.LISTED;
import static dev.tenancy.jdbc.verify.RowOwnershipCheck.count;
import static dev.tenancy.jdbc.verify.RowOwnershipCheck.findings;
import static dev.tenancy.jdbc.verify.RowOwnershipCheck.info;
import static dev.tenancy.jdbc.verify.RowOwnershipCheck.summary;

import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantContext;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.health.CheckResult;
import dev.tenancy.jdbc.SchemaPerTenant;
import dev.tenancy.jdbc.TenantAwareDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.flywaydb.core.api.MigrationVersion;
import org.jspecify.annotations.Nullable;

/**
 * The schema-per-tenant form of {@link RowOwnershipCheck}: each tenant's schema exists (at the expected Flyway
 * version), and no schema with the tenant prefix belongs to nobody.
 */
final class SchemaOwnership implements RowOwnershipCheck.Form {

  private final TenantAwareDataSource application;
  private final SchemaPerTenant strategy;
  private final @Nullable MigrationVersion expectedVersion;
  private final String historyTable;
  private final @Nullable IsolationVerifier verifier;
  private final Set<FindingType> accepted;

  SchemaOwnership(TenantAwareDataSource application, SchemaPerTenant strategy,
      @Nullable MigrationVersion expectedVersion, String historyTable, @Nullable IsolationVerifier verifier,
      Set<FindingType> accepted) {
    this.application = application;
    this.strategy = strategy;
    this.expectedVersion = expectedVersion;
    this.historyTable = historyTable;
    this.verifier = verifier;
    this.accepted = Set.copyOf(accepted);
  }

  @Override
  public CheckResult check(Tenant tenant) throws Exception {
    TenantInfo self = info(tenant.id(), tenant.slug(), tenant.status());
    String schema = strategy.schemaOf(self);
    Optional<SchemaState> state;
    try (Connection connection = TenantContext.call(self, application::getConnection)) {
      state = schemaState(connection, schema);
    } catch (SQLException e) {
      if (!missingSchema(e)) {
        throw e;
      }
      state = Optional.empty();  // H2 refuses to bind a connection to a schema that does not exist
    }
    if (tenant.status() == TenantStatus.DELETED) {
      return state.isEmpty() ? CheckResult.up("purged: schema " + schema + " is gone, as intended")
          : CheckResult.degraded("the tenant was purged, but its schema " + schema + " exists again ("
              + state.get().tables + " tables): the database was restored from before the purge; drop it again")
              .withFact("schema", schema);
    }
    if (state.isEmpty()) {
      if (tenant.status() == TenantStatus.PROVISIONING) {
        return CheckResult.up("provisioning: schema " + schema + " not created yet").withFact("schema", schema);
      }
      return CheckResult.down("the tenant's schema " + schema + " does not exist: its data is missing; restore the"
          + " schema from the backup, or resume its provisioning if it was never created").withFact("schema", schema);
    }
    SchemaState found = state.get();
    CheckResult result;
    if (expectedVersion == null) {
      result = CheckResult.up("schema " + schema + " exists with " + found.tables + " tables");
    } else if (found.version == null) {
      result = CheckResult.degraded("schema " + schema + " has no applied migration in " + historyTable + ": run the"
          + " tenant migrations, or restore the schema with its history table");
    } else {
      int order = found.version.compareTo(expectedVersion);
      result = order == 0 && found.failed == 0
          ? CheckResult.up("schema " + schema + " exists at version " + found.version + " with " + found.tables
              + " tables")
          : CheckResult.degraded("schema " + schema + " is at version " + found.version + (order == 0 ? ""
              : order < 0 ? ", behind the expected " + expectedVersion + ": run the tenant migrations"
              : ", ahead of the expected " + expectedVersion + ": the restore mixes points in time, or the"
                  + " application is older than its schema") + (found.failed == 0 ? "" : "; " + found.failed
              + " failed migration(s) are recorded: repair and migrate again"));
      result = result.withFact("version", found.version.toString()).withFact("failedMigrations", found.failed);
    }
    return result.withFact("schema", schema).withFact("tables", found.tables);
  }

  /** What a tenant's schema holds; {@code version} only when an expected version was configured. */
  private record SchemaState(long tables, @Nullable MigrationVersion version, long failed) {
  }

  private Optional<SchemaState> schemaState(Connection connection, String schema) throws SQLException {
    long schemas = count(connection, "select count(*) from information_schema.schemata where upper(schema_name) ="
        + " upper(?)", schema);
    if (schemas == 0) {
      return Optional.empty();
    }
    long tables = count(connection, "select count(*) from information_schema.tables where upper(table_schema) ="
        + " upper(?) and table_type in ('BASE TABLE', 'TABLE')", schema);
    if (expectedVersion == null) {
      return Optional.of(new SchemaState(tables, null, 0));
    }
    long history = count(connection, "select count(*) from information_schema.tables where upper(table_schema) ="
        + " upper(?) and upper(table_name) = upper(?)", schema, historyTable);
    if (history == 0) {
      return Optional.of(new SchemaState(tables, null, 0));
    }
    MigrationVersion highest = null;
    long failed = 0;
    // Flyway creates its columns quoted and lower-case; H2 would fold unquoted names to upper case.
    try (PreparedStatement statement = connection.prepareStatement("select " + quote("version") + ", "
        + quote("success") + " from " + quote(schema) + "." + quote(historyTable) + " where " + quote("version")
        + " is not null");
        ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        if (!rows.getBoolean(2)) {
          failed++;
          continue;
        }
        MigrationVersion version = MigrationVersion.fromVersion(rows.getString(1));
        highest = highest == null || version.compareTo(highest) > 0 ? version : highest;
      }
    }
    return Optional.of(new SchemaState(tables, highest, failed));
  }

  @Override
  public CheckResult checkPlatform(List<Tenant> tenants) throws SQLException {
    Set<String> known = new HashSet<>();
    for (Tenant tenant : tenants) {
      known.add(strategy.schemaOf(info(tenant.id(), tenant.slug(), tenant.status())).toLowerCase(Locale.ROOT));
    }
    String prefix = strategy.schemaPrefix().toLowerCase(Locale.ROOT);
    Set<String> orphans = new TreeSet<>();
    long tenantSchemas = 0;
    try (Connection connection = application.getConnection();
        PreparedStatement statement = connection.prepareStatement("select schema_name from"
            + " information_schema.schemata");
        ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        String schema = rows.getString(1).toLowerCase(Locale.ROOT);
        if (schema.startsWith(prefix)) {
          tenantSchemas++;
          if (!known.contains(schema)) {
            orphans.add(schema);
          }
        }
      }
    }
    List<String> down = new ArrayList<>();
    List<String> degraded = new ArrayList<>();
    if (!orphans.isEmpty()) {
      down.add(orphans.size() + " schema(s) with the tenant prefix belong to no tenant the platform knows ("
          + String.join(", ", orphans.stream().limit(LISTED).toList()) + (orphans.size() > LISTED ? ", ..." : "")
          + "): the data and the tenant store come from different points in time; give them an owner or drop them");
    }
    int acceptedCount = 0;
    int findingCount = 0;
    if (verifier != null) {
      IsolationReport report = verifier.verify(application);
      acceptedCount = findings(report, accepted, down, degraded);
      findingCount = report.findings().size() - acceptedCount;
    }
    return summary(down, degraded, tenantSchemas + " tenant schemas, each belonging to a known tenant")
        .withFact("schemas", tenantSchemas)
        .withFact("orphanSchemas", orphans.size())
        .withFact("findings", findingCount)
        .withFact("acceptedFindings", acceptedCount);
  }

  /** PostgreSQL's invalid_schema_name, H2's SCHEMA_NOT_FOUND. */
  private static boolean missingSchema(SQLException e) {
    for (SQLException current = e; current != null; current = current.getNextException()) {
      if ("3F000".equals(current.getSQLState()) || current.getErrorCode() == 90079) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "schema per tenant, prefix " + strategy.schemaPrefix() + (expectedVersion == null ? ""
        : ", expected version " + expectedVersion);
  }
}
