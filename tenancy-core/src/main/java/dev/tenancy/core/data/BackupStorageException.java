package dev.tenancy.core.data;

import dev.tenancy.core.TenancyException;

/**
 * Thrown when a backup or restore fails for a reason outside the archive's content: the backup repository cannot be
 * written or read, or the database fails. A failed backup leaves no archive behind; a failed restore changes nothing.
 *
 * @since 0.1.0
 */
public final class BackupStorageException extends TenancyException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed and how to fix it
   * @param cause the underlying failure
   */
  public BackupStorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
