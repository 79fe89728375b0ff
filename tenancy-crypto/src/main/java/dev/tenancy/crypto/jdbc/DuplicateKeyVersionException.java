package dev.tenancy.crypto.jdbc;

import dev.tenancy.core.TenancyException;
import dev.tenancy.core.TenantId;
import java.util.Objects;

/**
 * Thrown by {@link JdbcTenantKeyStore#add} when the tenant already has that key version. A version is written once:
 * when two instances add the same version at the same moment, exactly one succeeds and the other gets this exception.
 */
public final class DuplicateKeyVersionException extends TenancyException {
  private static final long serialVersionUID = 1L;

  private final TenantId tenant;
  private final int version;

  /**
   * Creates the exception.
   *
   * @param tenant the tenant
   * @param version the version that already exists
   */
  public DuplicateKeyVersionException(TenantId tenant, int version) {
    super("Tenant " + Objects.requireNonNull(tenant, "tenant") + " already has data key version " + version
        + "; key versions are written once: read versions(tenant) and add the next free version, or call"
        + " rewrap(...) to wrap the existing version under a new KEK");
    this.tenant = tenant;
    this.version = version;
  }

  /** @return the tenant */
  public TenantId tenant() {
    return tenant;
  }

  /** @return the version that already exists */
  public int version() {
    return version;
  }
}
