package dev.tenancy.jdbc.verify;

/**
 * The kinds of problem {@link IsolationVerifier} reports. Each one is a way tenants' data can leak into each other,
 * leak information about each other, or a setup that would make the other checks meaningless.
 */
public enum FindingType {

  /** No tenant table was found at all: the tenant column or the schemas are probably misconfigured. */
  NO_TENANT_TABLES,

  /** A table declared as a tenant table does not exist or lacks the tenant column. */
  TENANT_COLUMN_MISSING,

  /** A tenant table without {@code ENABLE ROW LEVEL SECURITY}: every role with a grant sees every tenant's rows. */
  RLS_DISABLED,

  /** A tenant table without {@code FORCE ROW LEVEL SECURITY}: its owner (and views it owns) bypass the policies. */
  RLS_NOT_FORCED,

  /** No policy lets the application role run a command on a tenant table (it cannot use the table at all). */
  POLICY_MISSING,

  /** An {@code ALL} or {@code UPDATE} policy without an explicit {@code WITH CHECK}. */
  POLICY_WITHOUT_WITH_CHECK,

  /** A permissive policy whose expression does not compare the tenant column with the tenant setting. */
  POLICY_NOT_TENANT_SCOPED,

  /** A policy that lets rows through when the tenant setting is unset or empty ({@code OR … IS NULL}, COALESCE). */
  POLICY_FAILS_OPEN,

  /** A policy that calls {@code current_setting} outside a scalar sub-select, so it is evaluated once per row. */
  POLICY_PER_ROW_SETTING,

  /** The application role owns (or inherits the owner of) a tenant table, so it can switch RLS off. */
  APP_ROLE_OWNS_TABLE,

  /** The application role is a superuser or has BYPASSRLS: PostgreSQL skips every policy for it. */
  APP_ROLE_BYPASSES_RLS,

  /** A view or materialized view over a tenant table that reads it with its owner's rights instead of the caller's. */
  VIEW_BYPASSES_RLS,

  /** A {@code SECURITY DEFINER} function that touches a tenant table with its owner's rights. */
  SECURITY_DEFINER_FUNCTION,

  /** A unique index or constraint without the tenant column: a duplicate-key error reveals other tenants' values. */
  UNIQUE_WITHOUT_TENANT_COLUMN,

  /** A serial, identity or sequence-defaulted column: its values reveal how much the other tenants write. */
  SEQUENCE_KEY,

  /** A tenant table without an index whose first column is the tenant column: every policy check scans. */
  TENANT_INDEX_MISSING,

  /** A primary key without the tenant column: the table cannot be distributed by tenant (Citus) unchanged. */
  PRIMARY_KEY_WITHOUT_TENANT_COLUMN,

  /** A foreign key between tenant tables without the tenant column: a row can reference another tenant's row. */
  FOREIGN_KEY_WITHOUT_TENANT_COLUMN,

  /** Schema per tenant: a tenant schema lacks a table the other tenant schemas (or the declared list) have. */
  TENANT_TABLE_MISSING,

  /** Schema per tenant: a tenant-shaped table lives in the shared schema, where unqualified names may fall back. */
  SHARED_TENANT_TABLE
}
