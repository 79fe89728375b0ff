package dev.tenancy.core.data;

import dev.tenancy.core.TenancyException;
import dev.tenancy.core.TenantId;
import java.util.Objects;

/**
 * Thrown when a restore is refused. Nothing was changed: the checks run before the tenant's rows are touched, and a
 * check that fails while rows are being written (an archive altered during the restore) rolls the transaction back.
 *
 * @since 0.1.0
 */
public final class BackupRefusedException extends TenancyException {
  private static final long serialVersionUID = 1L;

  /** Why a restore was refused, and the HTTP status the admin API answers with. */
  public enum Reason {
    /** The archive does not match its manifest or its signature (altered, truncated, or signed with another key): 422. */
    TAMPERED,
    /** The archive holds a row whose tenant column names another tenant: 422. */
    FOREIGN_ROWS,
    /** The archive belongs to another tenant than the one being restored: 422. */
    OTHER_TENANT,
    /** No archive with that id exists for the tenant (or the id is not a valid one): 404. */
    UNKNOWN_BACKUP,
    /** The tenant is serving requests (TRIAL or ACTIVE); suspend it first: 409. */
    TENANT_SERVING,
    /** The archive's tables or columns no longer match the tenant's (migrated since the backup): 422. */
    INCOMPATIBLE
  }

  private final TenantId tenant;
  private final String backupId;
  private final Reason reason;

  /**
   * Creates the exception.
   *
   * @param tenant the tenant whose restore was refused
   * @param backupId the archive
   * @param reason why
   * @param detail what exactly was wrong and what to do, as a sentence
   */
  public BackupRefusedException(TenantId tenant, String backupId, Reason reason, String detail) {
    super("Restore of backup '" + backupId + "' into tenant " + tenant + " refused (" + reason + "): " + detail
        + "; nothing was changed");
    this.tenant = Objects.requireNonNull(tenant, "tenant");
    this.backupId = Objects.requireNonNull(backupId, "backupId");
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** @return the tenant whose restore was refused */
  public TenantId tenant() {
    return tenant;
  }

  /** @return the archive */
  public String backupId() {
    return backupId;
  }

  /** @return why the restore was refused */
  public Reason reason() {
    return reason;
  }
}
