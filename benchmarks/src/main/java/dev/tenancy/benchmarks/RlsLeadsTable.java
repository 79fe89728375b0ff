package dev.tenancy.benchmarks;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The data set of {@link RlsQueryBenchmark}: 1,000 tenants × 1,000 leads under row-level security, with the generated
 * policy for one role and the bare {@code current_setting()} form for another, plus the PL/pgSQL functions that run
 * lookups and range scans server-side; and the checks the benchmark makes before measuring.
 *
 * <pre>{@code
 * RlsLeadsTable.create(database, appRole, bareRole);
 * RlsLeadsTable.expectPlan(connection, "SELECT name FROM leads WHERE id = '…'", "Index Scan using leads_pkey");
 * }</pre>
 */
final class RlsLeadsTable {

  static final int TENANTS = 1_000;
  static final int ROWS_PER_TENANT = 1_000;
  static final int RANGE = 100;
  /** The policy {@code RlsPolicies} generates: the setting is read once per query, as an InitPlan. */
  static final String GENERATED_POLICY =
      "organization_id = (select NULLIF(current_setting('tenancy.tenant_id', true), '')::uuid)";
  /** The same comparison written bare: evaluated for every row a sequential scan reads. */
  static final String BARE_POLICY = "organization_id = NULLIF(current_setting('tenancy.tenant_id', true), '')::uuid";

  private RlsLeadsTable() {
  }

  /**
   * Creates and loads {@code leads} as the owner (the superuser), with RLS enabled and forced, one policy per role,
   * the grants, the server-side benchmark functions, and fresh statistics.
   */
  static void create(BenchDatabase database, String appRole, String bareRole) {
    database.execute(
        "CREATE TABLE leads (organization_id uuid NOT NULL, id uuid NOT NULL, name text NOT NULL)",
        "INSERT INTO leads (organization_id, id, name)"
            + " WITH orgs AS MATERIALIZED (SELECT gen_random_uuid() AS org FROM generate_series(1, " + TENANTS + "))"
            // md5-derived ids are as evenly spread as random ones and 10x cheaper than gen_random_uuid() here.
            + " SELECT orgs.org, md5(orgs.org::text || ':' || n)::uuid, 'lead ' || n"
            + " FROM generate_series(1, " + ROWS_PER_TENANT + ") AS n CROSS JOIN orgs",
        // Built after the load, as a bulk load would; tenant column first.
        "ALTER TABLE leads ADD PRIMARY KEY (organization_id, id)",
        "ALTER TABLE leads ENABLE ROW LEVEL SECURITY",
        "ALTER TABLE leads FORCE ROW LEVEL SECURITY",
        "CREATE POLICY leads_generated ON leads TO " + appRole
            + " USING (" + GENERATED_POLICY + ") WITH CHECK (" + GENERATED_POLICY + ")",
        "CREATE POLICY leads_bare ON leads TO " + bareRole
            + " USING (" + BARE_POLICY + ") WITH CHECK (" + BARE_POLICY + ")",
        "GRANT SELECT, INSERT, UPDATE, DELETE ON leads TO " + appRole + ", " + bareRole,
        "CREATE FUNCTION rls_point_lookups(ids uuid[]) RETURNS bigint LANGUAGE plpgsql AS $$"
            + " DECLARE found bigint := 0; lead_name text; lead_id uuid;"
            + " BEGIN FOREACH lead_id IN ARRAY ids LOOP"
            + "   SELECT name INTO lead_name FROM leads WHERE id = lead_id;"
            + "   IF lead_name IS NOT NULL THEN found := found + 1; END IF;"
            + " END LOOP; RETURN found; END $$",
        "CREATE FUNCTION explicit_point_lookups(org uuid, ids uuid[]) RETURNS bigint LANGUAGE plpgsql AS $$"
            + " DECLARE found bigint := 0; lead_name text; lead_id uuid;"
            + " BEGIN FOREACH lead_id IN ARRAY ids LOOP"
            + "   SELECT name INTO lead_name FROM leads WHERE organization_id = org AND id = lead_id;"
            + "   IF lead_name IS NOT NULL THEN found := found + 1; END IF;"
            + " END LOOP; RETURN found; END $$",
        "CREATE FUNCTION rls_range_scans(times int) RETURNS bigint LANGUAGE plpgsql AS $$"
            + " DECLARE found bigint := 0; lead record;"
            + " BEGIN FOR i IN 1..times LOOP"
            + "   FOR lead IN SELECT id, name FROM leads ORDER BY id LIMIT " + RANGE + " LOOP"
            + "     found := found + 1; END LOOP;"
            + " END LOOP; RETURN found; END $$",
        "CREATE FUNCTION explicit_range_scans(org uuid, times int) RETURNS bigint LANGUAGE plpgsql AS $$"
            + " DECLARE found bigint := 0; lead record;"
            + " BEGIN FOR i IN 1..times LOOP"
            + "   FOR lead IN SELECT id, name FROM leads WHERE organization_id = org ORDER BY id LIMIT " + RANGE
            + "   LOOP found := found + 1; END LOOP;"
            + " END LOOP; RETURN found; END $$",
        "VACUUM ANALYZE leads");
  }

  /** Makes the planner read the whole table on this connection: no index, bitmap or parallel scans. */
  static Connection forceSequentialScan(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("SET enable_indexscan = off");
      statement.execute("SET enable_indexonlyscan = off");
      statement.execute("SET enable_bitmapscan = off");
      statement.execute("SET max_parallel_workers_per_gather = 0");
    }
    return connection;
  }

  /** Runs EXPLAIN and fails the trial unless the plan contains every expected fragment; returns the plan. */
  static String expectPlan(Connection connection, String query, String... fragments) throws SQLException {
    StringBuilder plan = new StringBuilder();
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("EXPLAIN " + query)) {
      while (rows.next()) {
        plan.append(rows.getString(1)).append('\n');
      }
    }
    for (String fragment : fragments) {
      check(plan.indexOf(fragment) >= 0, "expected '" + fragment + "' in the plan of " + query + ":\n" + plan);
    }
    return plan.toString();
  }

  /** Fails the trial with {@code failure} unless {@code condition} holds. */
  static void check(boolean condition, String failure) {
    if (!condition) {
      throw new IllegalStateException(failure);
    }
  }
}
