package dev.tenancy.crypto;

import dev.tenancy.core.TenancyException;

/**
 * Root of tenancy-crypto's failures. Messages name tenants, key versions and purposes, never key material or
 * plaintext.
 *
 * @since 0.1.0
 */
public class TenantCryptoException extends TenancyException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what went wrong and how to fix it
   */
  public TenantCryptoException(String message) {
    super(message);
  }

  /**
   * Creates the exception with its cause.
   *
   * @param message what went wrong and how to fix it
   * @param cause the underlying failure (a JCE exception, never carrying key bytes)
   */
  public TenantCryptoException(String message, Throwable cause) {
    super(message, cause);
  }
}
