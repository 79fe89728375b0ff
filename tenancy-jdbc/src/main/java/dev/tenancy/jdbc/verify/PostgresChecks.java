package dev.tenancy.jdbc.verify;

import static dev.tenancy.jdbc.SqlIdentifiers.quote;
import static dev.tenancy.jdbc.verify.PolicyChecks.quoted;

import dev.tenancy.jdbc.verify.PostgresCatalog.Constraint;
import dev.tenancy.jdbc.verify.PostgresCatalog.DefinerFunction;
import dev.tenancy.jdbc.verify.PostgresCatalog.Index;
import dev.tenancy.jdbc.verify.PostgresCatalog.SequenceColumn;
import dev.tenancy.jdbc.verify.PostgresCatalog.TenantTable;
import dev.tenancy.jdbc.verify.PostgresCatalog.ViewEdge;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Turns the catalog facts of a PostgreSQL database into findings, table by table, then views and functions. */
final class PostgresChecks {

  private final PostgresCatalog catalog;
  private final String column;
  private final String role;
  private final Map<Long, TenantTable> tables;
  private final PolicyChecks policies;
  private final List<Finding> findings = new ArrayList<>();

  PostgresChecks(PostgresCatalog catalog, String column, String setting) {
    this.catalog = catalog;
    this.column = column;
    this.role = catalog.role.name();
    this.tables = catalog.tablesByOid();
    this.policies = new PolicyChecks(column, setting, role);
  }

  IsolationReport run() {
    checkRole();
    for (String missing : catalog.missingDeclared) {
      add(FindingType.TENANT_COLUMN_MISSING, missing, "Table " + missing + " is declared as a tenant table but does not"
          + " exist or has no column " + column + ". Add the column (uuid NOT NULL) or remove the table from tables(…).");
    }
    if (tables.isEmpty()) {
      add(FindingType.NO_TENANT_TABLES, "column " + column, "No table has a column " + column + " in the schemas"
          + " searched, so nothing was verified. Check IsolationVerifier.tenantColumn(…) and schemas(…).");
    }
    for (TenantTable table : tables.values()) {
      checkTable(table);
      policies.check(table, catalog.policies, findings);
      checkIndexes(table);
      checkKeys(table);
      checkSequences(table);
    }
    checkViews();
    checkFunctions();
    return new IsolationReport(tables.values().stream().map(TenantTable::qualified).toList(), findings);
  }

  private void checkRole() {
    if (catalog.role.superuser() || catalog.role.bypassRls()) {
      String what = catalog.role.superuser() ? "a superuser" : "BYPASSRLS";
      add(FindingType.APP_ROLE_BYPASSES_RLS, "role " + role, "Role " + role + " is " + what + ", so PostgreSQL"
          + " applies no row-level security policy to it. Run ALTER ROLE " + quote(role) + " NOSUPERUSER NOBYPASSRLS,"
          + " or let the application connect as a role without these attributes.");
    }
  }

  private void checkTable(TenantTable table) {
    if (!table.rls()) {
      add(FindingType.RLS_DISABLED, table.qualified(), "Row-level security is disabled on " + table.qualified()
          + ", so every role with a grant sees every tenant's rows. Run ALTER TABLE " + quoted(table)
          + " ENABLE ROW LEVEL SECURITY (RlsPolicies does this with the policies).");
    }
    if (!table.forced()) {
      add(FindingType.RLS_NOT_FORCED, table.qualified(), "Row-level security is not forced on " + table.qualified()
          + ", so its owner, and views and SECURITY DEFINER functions the owner owns, bypass the policies. Run ALTER"
          + " TABLE " + quoted(table) + " FORCE ROW LEVEL SECURITY.");
    }
    if (table.ownedByApp()) {
      add(FindingType.APP_ROLE_OWNS_TABLE, table.qualified(), "Role " + role + " owns " + table.qualified()
          + " (or has its owner's privileges), so it can switch row-level security off or drop the policies. Make a"
          + " migration role the owner (ALTER TABLE " + quoted(table) + " OWNER TO <migration role>) and grant "
          + role + " only SELECT, INSERT, UPDATE, DELETE.");
    }
  }

  private void checkIndexes(TenantTable table) {
    boolean tenantLeading = false;
    for (Index index : catalog.indexes) {
      if (index.tableOid() != table.oid()) {
        continue;
      }
      tenantLeading |= !index.columns().isEmpty() && index.columns().get(0) == table.tenantAttnum();
      if (index.unique() && !index.primary() && !index.columns().contains(table.tenantAttnum())) {
        add(FindingType.UNIQUE_WITHOUT_TENANT_COLUMN, index.name(), "Unique index " + index.name() + " on "
            + table.qualified() + " does not include " + column + ": a duplicate-key error tells one tenant that"
            + " another tenant already holds the value. Make it unique per tenant, with " + quote(column)
            + " as its first column (e.g. UNIQUE (" + quote(column) + ", …)).");
      }
    }
    if (!tenantLeading) {
      add(FindingType.TENANT_INDEX_MISSING, table.qualified(), "No index on " + table.qualified() + " starts with "
          + column + ", so every query filtered by the policy scans the table. Run CREATE INDEX ON " + quoted(table)
          + " (" + quote(column) + ", <primary key columns>) — or lead the primary key with " + column + ".");
    }
  }

  private void checkKeys(TenantTable table) {
    for (Constraint constraint : catalog.constraints) {
      if (constraint.tableOid() != table.oid()) {
        continue;
      }
      if (constraint.type() == 'p' && !constraint.columns().contains(table.tenantAttnum())) {
        add(FindingType.PRIMARY_KEY_WITHOUT_TENANT_COLUMN, constraint.name(), "Primary key " + constraint.name()
            + " of " + table.qualified() + " does not include " + column + ", so the table cannot be distributed by"
            + " tenant (Citus co-location) and ids are unique across tenants. Use PRIMARY KEY (" + quote(column)
            + ", <id columns>).");
      }
      TenantTable referenced = tables.get(constraint.referencedOid());
      if (constraint.type() == 'f' && referenced != null && !pairsTenantColumns(constraint, table, referenced)) {
        add(FindingType.FOREIGN_KEY_WITHOUT_TENANT_COLUMN, constraint.name(), "Foreign key " + constraint.name()
            + " from " + table.qualified() + " to " + referenced.qualified() + " does not pair " + column + " with "
            + column + ": foreign-key checks ignore row-level security, so a row can point at another tenant's row"
            + " and the error reveals whether it exists. Use FOREIGN KEY (" + quote(column) + ", …) REFERENCES "
            + quoted(referenced) + " (" + quote(column) + ", …).");
      }
    }
  }

  private static boolean pairsTenantColumns(Constraint key, TenantTable from, TenantTable to) {
    for (int i = 0; i < key.columns().size() && i < key.referencedColumns().size(); i++) {
      if (key.columns().get(i) == from.tenantAttnum() && key.referencedColumns().get(i) == to.tenantAttnum()) {
        return true;
      }
    }
    return false;
  }

  private void checkSequences(TenantTable table) {
    for (SequenceColumn sequenceColumn : catalog.sequenceColumns) {
      if (sequenceColumn.tableOid() == table.oid()) {
        String object = table.qualified() + "." + sequenceColumn.column();
        add(FindingType.SEQUENCE_KEY, object, "Column " + object + " is " + sequenceColumn.how() + ": the numbers"
            + " are shared by all tenants, so each tenant learns how many rows the others create. Use uuid with"
            + " DEFAULT gen_random_uuid() (or ids made by the application).");
      }
    }
  }

  private void checkViews() {
    // A view over a view over a tenant table leaks just the same: follow the dependencies until nothing new appears.
    Map<Long, ViewEdge> reached = new LinkedHashMap<>();
    Map<Long, String> source = new LinkedHashMap<>();
    tables.values().forEach(table -> source.put(table.oid(), table.qualified()));
    boolean grew = true;
    while (grew) {
      grew = false;
      for (ViewEdge edge : catalog.viewEdges) {
        if (source.containsKey(edge.referencedOid()) && !source.containsKey(edge.viewOid())) {
          source.put(edge.viewOid(), source.get(edge.referencedOid()));
          reached.put(edge.viewOid(), edge);
          grew = true;
        }
      }
    }
    for (ViewEdge view : reached.values()) {
      String table = source.get(view.viewOid());
      if (view.kind() == 'm') {
        add(FindingType.VIEW_BYPASSES_RLS, view.qualified(), "Materialized view " + view.qualified() + " stores rows"
            + " of " + table + " for all tenants and has no row-level security of its own. Drop it, or replace it by a"
            + " view WITH (security_invoker = true) or a tenant table with policies.");
      } else if (!view.securityInvoker()) {
        add(FindingType.VIEW_BYPASSES_RLS, view.qualified(), "View " + view.qualified() + " reads " + table
            + " with its owner's rights, so the policies are checked against the owner (who usually bypasses them),"
            + " not the caller. Run ALTER VIEW " + quote(view.schema()) + "." + quote(view.name())
            + " SET (security_invoker = true) (PostgreSQL 15+).");
      }
    }
  }

  private void checkFunctions() {
    for (DefinerFunction function : catalog.definerFunctions) {
      for (TenantTable table : tables.values()) {
        if (function.dependsOn().contains(table.oid()) || mentions(function.source(), table.name())) {
          add(FindingType.SECURITY_DEFINER_FUNCTION, function.signature(), "Function " + function.signature()
              + " is SECURITY DEFINER and uses " + table.qualified() + ": it runs with its owner's rights, so"
              + " row-level security may not apply to whoever calls it. Run ALTER FUNCTION " + function.signature()
              + " SECURITY INVOKER, or make its owner a role subject to the policies.");
          break;
        }
      }
    }
  }

  private static boolean mentions(String source, String tableName) {
    return Pattern.compile("(?i)(?<![A-Za-z0-9_$])\"?" + Pattern.quote(tableName) + "\"?(?![A-Za-z0-9_$])")
        .matcher(source).find();
  }

  private void add(FindingType type, String object, String message) {
    findings.add(new Finding(type, object, message));
  }
}
