/**
 * Verifies, against a live database, that tenants are really kept apart: row-level security enabled and forced on
 * every tenant table, policies that compare the tenant column with the tenant setting and fail closed, an application
 * role that cannot bypass them, and no view, function, index, sequence or key that leaks across tenants. Meant to run
 * in the application's own test suite, against the schema its migrations produce.
 *
 * <pre>{@code
 * @Test
 * void database_keepsTenantsApart() throws SQLException {
 *   IsolationReport report = IsolationVerifier.forPostgres()
 *       .tenantColumn("organization_id")
 *       .applicationRole("app")
 *       .excluding("platform_audit")           // shared on purpose
 *       .verify(migratedDataSource);
 *   report.assertClean();                      // IsolationViolationException lists every finding and its fix
 * }
 *
 * // Schema per tenant on H2: each tenant schema has the same tables, PUBLIC has none of them.
 * IsolationVerifier.forH2().tenantSchemaPrefix("tenant_").verify(h2DataSource).assertClean();
 * }</pre>
 */
@NullMarked
package dev.tenancy.jdbc.verify;

import org.jspecify.annotations.NullMarked;
