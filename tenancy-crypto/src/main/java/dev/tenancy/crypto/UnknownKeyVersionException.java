package dev.tenancy.crypto;

import dev.tenancy.core.TenantId;
import java.util.Objects;

/**
 * Thrown when a ciphertext names a key version the tenant does not have (never had, or a bit of the header was
 * altered). Decryption never falls back to another version: GCM does not commit to its key.
 *
 * @since 0.1.0
 */
public final class UnknownKeyVersionException extends TenantCryptoException {
  private static final long serialVersionUID = 1L;

  private final TenantId tenant;
  private final int version;

  /**
   * Creates the exception.
   *
   * @param tenant the tenant
   * @param version the key version the ciphertext names
   */
  public UnknownKeyVersionException(TenantId tenant, int version) {
    super("Tenant " + tenant + " has no data key version " + version
        + "; the ciphertext was altered or belongs to another tenant or key store");
    this.tenant = Objects.requireNonNull(tenant, "tenant");
    this.version = version;
  }

  /** @return the tenant */
  public TenantId tenant() {
    return tenant;
  }

  /** @return the key version the ciphertext names */
  public int version() {
    return version;
  }
}
