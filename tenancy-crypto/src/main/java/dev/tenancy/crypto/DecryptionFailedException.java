package dev.tenancy.crypto;

import dev.tenancy.core.TenantId;
import java.util.Objects;

/**
 * Thrown when a ciphertext does not decrypt: it was altered, truncated, encrypted for another tenant or another
 * purpose, or is not in a format this version reads. The reason never says which, on purpose: an attacker learns
 * nothing from the message beyond "rejected".
 *
 * @since 0.1.0
 */
public final class DecryptionFailedException extends TenantCryptoException {
  private static final long serialVersionUID = 1L;

  private final TenantId tenant;
  private final String purpose;

  /**
   * Creates the exception.
   *
   * @param tenant the tenant the caller decrypted for
   * @param purpose the purpose the caller decrypted for
   * @param reason a short, secret-free reason (format or authentication)
   */
  public DecryptionFailedException(TenantId tenant, String purpose, String reason) {
    super("Cannot decrypt a '" + purpose + "' value of tenant " + tenant + ": " + reason
        + "; the value was altered, belongs to another tenant or purpose, or was not produced by TenantCipher");
    this.tenant = Objects.requireNonNull(tenant, "tenant");
    this.purpose = Objects.requireNonNull(purpose, "purpose");
  }

  /** @return the tenant the caller decrypted for */
  public TenantId tenant() {
    return tenant;
  }

  /** @return the purpose the caller decrypted for */
  public String purpose() {
    return purpose;
  }
}
