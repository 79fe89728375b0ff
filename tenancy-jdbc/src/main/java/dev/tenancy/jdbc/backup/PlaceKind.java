package dev.tenancy.jdbc.backup;

/**
 * How the place that holds a tenant's rows keeps it apart from other tenants — which decides what "the tenant's
 * tables" and "the tenant's rows" are.
 *
 * @since 0.1.0
 */
public enum PlaceKind {
  /**
   * Shared tables under PostgreSQL row-level security: the tenant's tables are those of the current schema that carry
   * the tenant column, its rows those whose tenant column holds its id.
   */
  ROW_LEVEL_SECURITY,
  /** The tenant's own schema: every table in it, every row of them. */
  SCHEMA,
  /** The tenant's own database: every table of its current schema, every row of them. */
  DATABASE;

  /** @return whether the tenant's rows are told apart by a column (shared tables) rather than by the place itself */
  public boolean sharesTables() {
    return this == ROW_LEVEL_SECURITY;
  }
}
