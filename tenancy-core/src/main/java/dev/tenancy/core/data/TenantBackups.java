package dev.tenancy.core.data;

import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantNotFoundException;
import java.util.List;

/**
 * Backs up and restores one tenant's data, for the admin API ({@code POST /api/v1/admin/tenants/{id}/backups},
 * and {@code POST /api/v1/admin/tenants/{id}/restore} with {@code {"backupId": …}}). Implemented by adapter
 * modules, e.g. tenancy-jdbc's {@code JdbcTenantBackups}; core and the admin API know only this interface.
 *
 * <p>A restore replaces exactly that tenant's rows with the archive's, in one transaction, and is refused with nothing
 * changed when the archive was altered, holds another tenant's rows, belongs to another tenant, or the tenant is still
 * serving requests — see {@link BackupRefusedException.Reason} for how each maps to an HTTP status.
 *
 * @since 0.1.0
 */
public interface TenantBackups {

  /**
   * Writes a new archive of the tenant's data.
   *
   * @param tenant the tenant
   * @return what was archived
   * @throws TenantNotFoundException if there is no such tenant
   * @throws BackupStorageException if the archive cannot be written or the data read
   */
  BackupSummary backup(TenantId tenant);

  /**
   * Replaces the tenant's data with an archive's, in one transaction.
   *
   * @param tenant the tenant, which must not be serving requests (suspend it first)
   * @param backupId an id {@link #backup} returned for this tenant
   * @return what was restored
   * @throws TenantNotFoundException if there is no such tenant
   * @throws BackupRefusedException if the restore is refused; nothing was changed
   * @throws BackupStorageException if the archive cannot be read or the data written; nothing was changed
   */
  RestoreSummary restore(TenantId tenant, String backupId);

  /**
   * Lists the tenant's archives.
   *
   * @param tenant the tenant
   * @return its archives, newest first
   * @throws BackupStorageException if the archives cannot be listed
   */
  List<BackupSummary> list(TenantId tenant);
}
