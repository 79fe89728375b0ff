package dev.tenancy.core.spi;

import dev.tenancy.core.ConcurrentTenantModificationException;
import dev.tenancy.core.SlugAlreadyTakenException;
import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantConflictException;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantNotFoundException;
import dev.tenancy.core.TenantPage;
import dev.tenancy.core.TenantQuery;
import dev.tenancy.core.TenantSlug;
import java.util.List;
import java.util.Optional;

/**
 * Where tenants, their configuration and their provisioning journal live.
 *
 * <p>Implementations must make {@link #insert} and {@link #update} atomic: a slug is unique across all tenants
 * (deleted ones included), and an update succeeds only against the version it was based on. Every implementation
 * should pass {@code dev.tenancy.test.TenantStoreCompatibilityKit} from {@code tenancy-test}.
 */
public interface TenantStore {

  /**
   * Stores a new tenant as given (its version included).
   *
   * @param tenant the tenant
   * @return the stored tenant
   * @throws SlugAlreadyTakenException if another tenant has the slug
   * @throws TenantConflictException if a tenant with the id exists
   */
  Tenant insert(Tenant tenant);

  /**
   * @param id a tenant id
   * @return the tenant, or empty
   */
  Optional<Tenant> findById(TenantId id);

  /**
   * @param slug a slug
   * @return the tenant, or empty
   */
  Optional<Tenant> findBySlug(TenantSlug slug);

  /**
   * Lists tenants matching a query, ordered by slug.
   *
   * @param query filters and paging
   * @return the page
   */
  TenantPage list(TenantQuery query);

  /**
   * Replaces a tenant if the stored version still equals {@code tenant.version()}, storing it with version + 1.
   *
   * @param tenant the changed tenant, carrying the version it was based on
   * @return the stored tenant with its new version
   * @throws ConcurrentTenantModificationException if the stored version differs
   * @throws TenantNotFoundException if no such tenant is stored
   */
  Tenant update(Tenant tenant);

  /**
   * Removes a tenant record entirely. Used only to undo a provisioning that was rolled back, so the slug is free
   * again; purged tenants stay as {@code DELETED} tombstones instead.
   *
   * @param id the tenant
   * @return {@code true} if a record was removed
   */
  boolean remove(TenantId id);

  /**
   * Saves (inserts or replaces) the provisioning journal of a tenant.
   *
   * @param record the journal entry
   */
  void saveProvisioningRecord(ProvisioningRecord record);

  /**
   * @param id a tenant id
   * @return its unfinished provisioning journal, or empty
   */
  Optional<ProvisioningRecord> findProvisioningRecord(TenantId id);

  /** @return every unfinished provisioning journal, for resuming after a crash */
  List<ProvisioningRecord> listProvisioningRecords();

  /**
   * Removes a finished provisioning journal.
   *
   * @param id the tenant
   */
  void removeProvisioningRecord(TenantId id);
}
