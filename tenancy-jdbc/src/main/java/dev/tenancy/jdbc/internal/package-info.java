/**
 * Shared internals of tenancy-jdbc; not API, may change at any time. For example, both JDBC stores migrate with
 * {@code LibraryMigrations.migrate(dataSource, "tenancy", "tenancy_schema_history", location, loader)}.
 *
 * <pre>{@code
 * LibraryMigrations.Database database = LibraryMigrations.detect(connection, "JdbcTenantStore", "TenantStore");
 * }</pre>
 */
@NullMarked
package dev.tenancy.jdbc.internal;

import org.jspecify.annotations.NullMarked;
