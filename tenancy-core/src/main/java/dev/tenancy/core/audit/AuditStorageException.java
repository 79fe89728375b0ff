package dev.tenancy.core.audit;

import dev.tenancy.core.TenancyException;

/**
 * An audit sink or checkpoint store could not write or read: the disk or database failed, or a stored record cannot
 * be read back (which {@link AuditVerifier} reports as tampering).
 *
 * @since 0.1.0
 */
public class AuditStorageException extends TenancyException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what failed and what to check
   * @param cause the underlying failure
   */
  public AuditStorageException(String message, Throwable cause) {
    super(message, cause);
  }

  /** @param message what failed and what to check */
  public AuditStorageException(String message) {
    super(message);
  }
}
