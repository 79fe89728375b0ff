package dev.tenancy.crypto.jdbc;

import dev.tenancy.core.TenancyException;

/**
 * Thrown when {@link ReEncryption} stops: the database failed, or a value is not a ciphertext of the tenant and column
 * it sits in. Batches committed before stay committed and the failing batch is rolled back, so the run can simply be
 * started again once the cause is fixed. Messages name the table, row key and column, never plaintext or keys.
 */
public final class ReEncryptionFailedException extends TenancyException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, where, and how to fix it
   */
  public ReEncryptionFailedException(String message) {
    super(message);
  }

  /**
   * Creates the exception with its cause.
   *
   * @param message what failed, where, and how to fix it
   * @param cause the underlying failure
   */
  public ReEncryptionFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
