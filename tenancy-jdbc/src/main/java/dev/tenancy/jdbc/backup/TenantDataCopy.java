package dev.tenancy.jdbc.backup;

import dev.tenancy.core.TenantContext;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.TenantScope;
import dev.tenancy.jdbc.TenantAwareDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Copies one tenant's rows from one place to another — shared RLS tables, a schema or a database of its own, another
 * server — streaming, in foreign-key order, in one target transaction.
 *
 * <pre>{@code
 * Map<String, Long> copied = TenantDataCopy.copy(acme, sharedTables, ownSchema);
 * TenantDataDigest.of(ownSchema, acme).equals(TenantDataDigest.of(sharedTables, acme));   // verify
 * }</pre>
 *
 * <p>Both data sources are used inside a scope of the tenant that the copy opens itself, so each binds its
 * connection its own way (RLS setting, schema, database). The source is read in one snapshot (REPEATABLE READ) and
 * streamed by fetch size; the target is written with batched INSERTs in one transaction that commits only when every
 * table is in: a failure leaves the target as it was (on PostgreSQL, sequences excepted — they never roll back).
 * Tables and columns are matched by name; the tenant column may exist on one side only (shared tables need it, a
 * schema of the tenant's own may drop it). After the rows, serial/identity sequences are moved past the copied ids.
 *
 * <p>The source and target need a connection each at the same time: with one pool behind both, it must allow two.
 * Keep the tenant from writing at the source meanwhile (suspended or read-only): rows written after the snapshot are
 * not copied.
 *
 * @since 0.1.0
 */
public final class TenantDataCopy {

  private TenantDataCopy() {
  }

  /**
   * Copies a tenant's rows with the default tenant column.
   *
   * @param tenant the tenant
   * @param source where its rows are
   * @param target where they go; must hold no rows of the tenant yet and have the same tables
   * @return rows copied per target table, in load order
   * @throws TargetNotEmptyException if the target already holds rows of the tenant (nothing written)
   * @throws TableMismatchException if a source table or column has no match at the target (nothing written)
   * @throws ForeignTenantRowException if a source row names another tenant (rolled back)
   * @throws TenantDataAccessException if reading or writing fails (rolled back)
   */
  public static Map<String, Long> copy(TenantInfo tenant, TenantAwareDataSource source, TenantAwareDataSource target) {
    return copy(tenant, source, target, TenantTables.DEFAULT_TENANT_COLUMN);
  }

  /**
   * Copies a tenant's rows.
   *
   * @param tenant the tenant
   * @param source where its rows are
   * @param target where they go; must hold no rows of the tenant yet and have the same tables
   * @param tenantColumn the tenant column of shared tables
   * @return rows copied per target table, in load order
   * @throws TargetNotEmptyException if the target already holds rows of the tenant (nothing written)
   * @throws TableMismatchException if a source table or column has no match at the target (nothing written)
   * @throws ForeignTenantRowException if a source row names another tenant (rolled back)
   * @throws TenantDataAccessException if reading or writing fails (rolled back)
   */
  public static Map<String, Long> copy(TenantInfo tenant, TenantAwareDataSource source, TenantAwareDataSource target,
      String tenantColumn) {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(tenantColumn, "tenantColumn");
    if (source == target) {
      throw new IllegalArgumentException("source and target are the same data source");
    }
    PlaceKind sourceKind = Places.kindOf(source, tenant);
    PlaceKind targetKind = Places.kindOf(target, tenant);
    String step = "open the source and target of tenant " + tenant.id();
    try (TenantScope scope = TenantContext.enter(tenant);
        Connection from = source.getConnection();
        Connection to = target.getConnection()) {
      step = "read the table metadata of tenant " + tenant.id();
      TenantTables sourceTables = TenantTables.discover(from, sourceKind, tenantColumn);
      TenantTables targetTables = TenantTables.discover(to, targetKind, tenantColumn);
      Map<TenantTable, TenantTable> pairs = pair(sourceTables, targetTables);
      List<ColumnPlan> plans = new ArrayList<>();
      for (Map.Entry<TenantTable, TenantTable> pair : pairs.entrySet()) {
        TenantTable from1 = pair.getKey();
        plans.add(ColumnPlan.between(from1.name(), from1.columns(), from1.tenantColumn(), pair.getValue(),
            tenant.id()));
      }
      try (Transactions read = Transactions.snapshot(from); Transactions write = Transactions.write(to)) {
        step = "check that the target holds no rows of tenant " + tenant.id();
        Optional<String> occupied = TargetTables.firstNonEmpty(to, targetTables, targetTables.tables(), tenant.id());
        if (occupied.isPresent()) {
          throw new TargetNotEmptyException(tenant.id(), occupied.get());
        }
        TargetTables.deferConstraints(to, targetTables.dialect());
        Map<String, Long> counts = new LinkedHashMap<>();
        List<TenantTable> written = new ArrayList<>();
        for (ColumnPlan plan : plans) {
          TenantTable from1 = sourceOf(pairs, plan.target());
          step = "copy table " + from1.name() + " of tenant " + tenant.id();
          try (TableReader reader = TableReader.open(from, sourceTables, from1, tenant.id());
              RowWriter writer = new RowWriter(to, plan, targetTables.dialect(), tenant.id())) {
            while (reader.next()) {
              writer.add(reader.values());
            }
            counts.put(plan.target().name(), writer.finish());
          }
          written.add(plan.target());
        }
        step = "move the serial/identity sequences of tenant " + tenant.id() + "'s tables past the copied ids (the"
            + " target's role needs UPDATE on those sequences)";
        TargetTables.advanceSequences(to, written, targetTables.dialect(), true);
        step = "commit the copy of tenant " + tenant.id();
        write.commit();
        return Collections.unmodifiableMap(counts);
      }
    } catch (SQLException e) {
      throw new TenantDataAccessException(step, e);
    }
  }

  /** Source table → target table, in the target's load order; every source table must have a target. */
  private static Map<TenantTable, TenantTable> pair(TenantTables source, TenantTables target) {
    Map<TenantTable, TenantTable> bySource = new LinkedHashMap<>();
    for (TenantTable table : source.tables()) {
      TenantTable match = target.table(table.name()).orElseThrow(() -> new TableMismatchException(table.name(),
          "the target has no such table" + (target.kind().sharesTables() ? " with the tenant column "
              + target.tenantColumn() : "") + " in schema " + target.schema()));
      bySource.put(table, match);
    }
    Map<TenantTable, TenantTable> ordered = new LinkedHashMap<>();
    for (TenantTable table : target.tables()) {
      bySource.forEach((from, to) -> {
        if (to.equals(table)) {
          ordered.put(from, to);
        }
      });
    }
    return ordered;
  }

  private static TenantTable sourceOf(Map<TenantTable, TenantTable> pairs, TenantTable target) {
    for (Map.Entry<TenantTable, TenantTable> pair : pairs.entrySet()) {
      if (pair.getValue().equals(target)) {
        return pair.getKey();
      }
    }
    throw new IllegalStateException("no source for " + target.name());
  }
}
