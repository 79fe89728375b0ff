package dev.tenancy.crypto;

import dev.tenancy.core.TenantId;
import java.util.Objects;

/**
 * Thrown by a {@link dev.tenancy.crypto.spi.TenantKeyStore} when a key version is added twice (two instances rotated
 * at once) or a missing version is re-wrapped (it was destroyed meanwhile).
 *
 * @since 0.1.0
 */
public final class DataKeyConflictException extends TenantCryptoException {
  private static final long serialVersionUID = 1L;

  private final TenantId tenant;
  private final int version;

  /**
   * Creates the exception.
   *
   * @param tenant the tenant
   * @param version the key version
   * @param message what conflicted and what to do
   */
  public DataKeyConflictException(TenantId tenant, int version, String message) {
    super(message);
    this.tenant = Objects.requireNonNull(tenant, "tenant");
    this.version = version;
  }

  /** @return the tenant */
  public TenantId tenant() {
    return tenant;
  }

  /** @return the key version */
  public int version() {
    return version;
  }
}
