package dev.tenancy.jdbc.migration;

import org.jspecify.annotations.Nullable;

/**
 * One row of a Flyway history table, as the fast currency check reads it.
 *
 * @param version the version, or {@code null} for a repeatable migration
 * @param description the description
 * @param type Flyway's type name ({@code SQL}, {@code JDBC}, {@code BASELINE}, …)
 * @param checksum the checksum, or {@code null}
 * @param success whether it was applied successfully
 */
record AppliedMigration(@Nullable String version, String description, String type, @Nullable Integer checksum,
    boolean success) {
}
