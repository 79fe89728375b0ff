package dev.tenancy.core.lifecycle;

/** What a {@link TenantService#bulk bulk} call does to each of its items. */
public enum BulkOperation {
  /** Creates a tenant from {@link BulkItem#newTenant()}. */
  CREATE,
  /** Applies {@link BulkItem#update()} to the tenant {@link BulkItem#tenant()} names. */
  UPDATE,
  /** Suspends the tenant {@link BulkItem#tenant()} names. */
  SUSPEND,
  /** Activates the tenant {@link BulkItem#tenant()} names. */
  ACTIVATE,
  /** Cancels (or, with {@link BulkItem#purge()}, purges) the tenant {@link BulkItem#tenant()} names. */
  DELETE
}
