package dev.tenancy.jdbc.verify;

import static dev.tenancy.jdbc.SqlIdentifiers.quote;
import static dev.tenancy.jdbc.verify.RowOwnershipCheck.LISTED;
import static dev.tenancy.jdbc.verify.RowOwnershipCheck.count;
import static dev.tenancy.jdbc.verify.RowOwnershipCheck.findings;
import static dev.tenancy.jdbc.verify.RowOwnershipCheck.info;
import static dev.tenancy.jdbc.verify.RowOwnershipCheck.listed;
import static dev.tenancy.jdbc.verify.RowOwnershipCheck.summary;

import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantContext;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.TenantSlug;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.health.CheckResult;
import dev.tenancy.jdbc.TenantAwareDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The row-level security form of {@link RowOwnershipCheck}: counts each tenant's rows through a role that bypasses
 * the policies, and compares them with what the application's bindings read.
 */
final class RlsRowOwnership implements RowOwnershipCheck.Form {

  private static final TenantSlug PROBE = TenantSlug.of("health-probe");

  private final TenantAwareDataSource application;
  private final DataSource bypass;
  private final String column;
  private final List<String> schemas;
  private final List<TableName> excluded;
  private final IsolationVerifier verifier;
  private final Set<FindingType> accepted;

  RlsRowOwnership(TenantAwareDataSource application, DataSource bypass, String column, List<String> schemas,
      List<TableName> excluded, IsolationVerifier verifier, Set<FindingType> accepted) {
    this.application = application;
    this.bypass = bypass;
    this.column = column;
    this.schemas = List.copyOf(schemas);
    this.excluded = List.copyOf(excluded);
    this.verifier = verifier;
    this.accepted = Set.copyOf(accepted);
  }

  @Override
  public CheckResult check(Tenant tenant) throws Exception {
    TenantInfo self = info(tenant.id(), tenant.slug(), tenant.status());
    TenantInfo stranger = info(TenantId.random(), PROBE, TenantStatus.ACTIVE);
    try (Connection all = bypass.getConnection()) {
      List<String> tables = tables(all);
      if (tables.isEmpty()) {
        return noTables();
      }
      if (tenant.status() == TenantStatus.DELETED) {
        return purgedRows(tenant, all, tables);
      }
      try (Connection own = TenantContext.call(self, application::getConnection);
          Connection foreign = TenantContext.call(stranger, application::getConnection)) {
        long total = 0;
        List<String> problems = new ArrayList<>();
        for (String table : tables) {
          Counts counts = counts(all, own, foreign, table, tenant.id());
          if (!counts.sound()) {
            counts = counts(all, own, foreign, table, tenant.id());  // a write may have come in between the counts
          }
          total += counts.stored;
          counts.problem(table).ifPresent(problems::add);
        }
        CheckResult result = problems.isEmpty()
            ? CheckResult.up(total + " rows in " + tables.size() + " tables, each readable under the tenant's own"
                + " binding and under no other")
            : CheckResult.down(String.join("; ", problems) + ". Compare the policies and grants with the migrations"
                + " (IsolationVerifier lists what is wrong) before the tenant is served again");
        return result.withFact("rows", total).withFact("tables", tables.size());
      }
    }
  }

  private CheckResult purgedRows(Tenant tenant, Connection all, List<String> tables) throws SQLException {
    Map<String, Long> left = new LinkedHashMap<>();
    long total = 0;
    for (String table : tables) {
      long stored = count(all, "select count(*) from " + table + " where " + quote(column) + " = ?", tenant.id());
      if (stored > 0) {
        left.put(table, stored);
        total += stored;
      }
    }
    if (total == 0) {
      return CheckResult.up("purged: no rows remain in " + tables.size() + " tables, as intended")
          .withFact("rows", 0L).withFact("tables", tables.size());
    }
    return CheckResult.degraded("the tenant was purged, but " + total + " of its rows are back (" + listed(left)
        + "): the data was restored from before the purge; purge them again").withFact("rows", total)
        .withFact("tables", tables.size());
  }

  /** What one table holds of one tenant, and what each binding sees of it. */
  private record Counts(long stored, long visible, long visibleOwn, long visibleToOthers) {

    boolean sound() {
      return visibleOwn == stored && visible == visibleOwn && visibleToOthers == 0;
    }

    Optional<String> problem(String table) {
      List<String> found = new ArrayList<>();
      if (visibleOwn != stored) {
        found.add("only " + visibleOwn + " of its " + stored + " rows are readable under its own binding");
      }
      if (visible > visibleOwn) {
        found.add("its own binding also reads " + (visible - visibleOwn) + " rows of other tenants");
      }
      if (visibleToOthers > 0) {
        found.add(visibleToOthers + " of its rows are readable under another tenant's binding");
      }
      return found.isEmpty() ? Optional.empty() : Optional.of(table + ": " + String.join(", ", found));
    }
  }

  private Counts counts(Connection all, Connection own, Connection foreign, String table, TenantId tenant)
      throws SQLException {
    String tenantColumn = quote(column);
    long stored = count(all, "select count(*) from " + table + " where " + tenantColumn + " = ?", tenant);
    long visible;
    long visibleOwn;
    try (PreparedStatement statement = own.prepareStatement("select count(*), coalesce(sum(case when "
        + tenantColumn + " = ? then 1 else 0 end), 0) from " + table)) {
      statement.setObject(1, tenant.value());
      try (ResultSet row = statement.executeQuery()) {
        row.next();
        visible = row.getLong(1);
        visibleOwn = row.getLong(2);
      }
    }
    long others = count(foreign, "select count(*) from " + table + " where " + tenantColumn + " = ?", tenant);
    return new Counts(stored, visible, visibleOwn, others);
  }

  @Override
  public CheckResult checkPlatform(List<Tenant> tenants) throws SQLException {
    IsolationReport report = verifier.verify(application);
    Set<UUID> known = new HashSet<>();
    tenants.forEach(tenant -> known.add(tenant.id().value()));
    Map<String, Long> orphansByTable = new LinkedHashMap<>();
    Set<String> orphanTenants = new TreeSet<>();
    List<String> readableWithoutTenant = new ArrayList<>();
    List<String> tables;
    try (Connection all = bypass.getConnection();
        Connection platform = application.getConnection()) {
      tables = tables(all);
      for (String table : tables) {
        long orphans = 0;
        try (PreparedStatement statement = all.prepareStatement("select " + quote(column) + ", count(*) from " + table
            + " group by " + quote(column));
            ResultSet rows = statement.executeQuery()) {
          while (rows.next()) {
            Object owner = rows.getObject(1);
            UUID id = owner instanceof UUID uuid ? uuid : owner == null ? null : parse(owner.toString());
            if (id == null || !known.contains(id)) {
              orphans += rows.getLong(2);
              orphanTenants.add(owner == null ? "NULL" : owner.toString());
            }
          }
        }
        if (orphans > 0) {
          orphansByTable.put(table, orphans);
        }
        try (PreparedStatement statement = platform.prepareStatement("select exists (select 1 from " + table + ")");
            ResultSet row = statement.executeQuery()) {
          if (row.next() && row.getBoolean(1)) {
            readableWithoutTenant.add(table);
          }
        }
      }
    }
    long orphanRows = orphansByTable.values().stream().mapToLong(Long::longValue).sum();
    List<String> down = new ArrayList<>();
    List<String> degraded = new ArrayList<>();
    if (tables.isEmpty()) {
      down.add("no table has the tenant column " + column + (schemas.isEmpty() ? "" : " in " + schemas));
    }
    if (orphanRows > 0) {
      down.add(orphanRows + (orphanRows == 1 ? " row (" : " rows (") + listed(orphansByTable) + (orphanRows == 1
          ? ") belongs to " : ") belong to ") + orphanTenants.size() + " tenant"
          + " id(s) the platform does not know: the data and the tenant store come from different points in time,"
          + " or rows were written for a tenant that no longer exists; give them an owner or delete them");
    }
    if (!readableWithoutTenant.isEmpty()) {
      down.add("a connection bound to no tenant reads rows of " + readableWithoutTenant + ": the policies let rows"
          + " through without a tenant");
    }
    int acceptedCount = findings(report, accepted, down, degraded);
    CheckResult result = summary(down, degraded, tables.size() + " tenant table(s): every row belongs to a known"
        + " tenant, none is readable without a tenant, and the isolation set-up is clean");
    return result.withFact("tables", tables.size())
        .withFact("findings", report.findings().size() - acceptedCount)
        .withFact("acceptedFindings", acceptedCount)
        .withFact("orphanRows", orphanRows)
        .withFact("orphanTenants", orphanTenants.size())
        .withFact("orphanTenantIds", String.join(",", orphanTenants.stream().limit(LISTED).toList()))
        .withFact("tablesReadableWithoutTenant", readableWithoutTenant.size());
  }

  /** The tenant tables, schema-qualified and quoted, read through a connection that sees the whole catalog. */
  private List<String> tables(Connection connection) throws SQLException {
    List<String> tables = new ArrayList<>();
    String inSchemas = schemas.isEmpty() ? "" : " and n.nspname = any (?)";
    try (PreparedStatement statement = connection.prepareStatement("select n.nspname, c.relname from pg_class c"
        + " join pg_namespace n on n.oid = c.relnamespace"
        + " join pg_attribute a on a.attrelid = c.oid and a.attname = ? and a.attnum > 0 and not a.attisdropped"
        + " where c.relkind in ('r', 'p') and not c.relispartition"
        + " and n.nspname <> 'information_schema' and n.nspname not like 'pg\\_%'" + inSchemas
        + " order by 1, 2")) {
      statement.setString(1, column);
      if (!schemas.isEmpty()) {
        statement.setArray(2, connection.createArrayOf("text", schemas.toArray()));
      }
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          String schema = rows.getString(1);
          String table = rows.getString(2);
          if (excluded.stream().noneMatch(name -> name.matches(schema, table))) {
            tables.add(quote(schema) + "." + quote(table));
          }
        }
      }
    }
    return tables;
  }

  private CheckResult noTables() {
    return CheckResult.down("no table has the tenant column " + column + (schemas.isEmpty() ? "" : " in schemas "
        + schemas) + ": nothing could be checked; set tenantColumn(...) and schemas(...) to match the database")
        .withFact("tables", 0);
  }

  private static @Nullable UUID parse(String text) {
    try {
      return UUID.fromString(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  @Override
  public String toString() {
    return "row-level security, column " + column + (schemas.isEmpty() ? "" : " in " + schemas);
  }
}
