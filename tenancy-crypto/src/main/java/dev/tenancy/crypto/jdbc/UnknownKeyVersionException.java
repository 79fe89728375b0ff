package dev.tenancy.crypto.jdbc;

import dev.tenancy.core.TenancyException;
import dev.tenancy.core.TenantId;
import java.util.Objects;

/**
 * Thrown by {@link JdbcTenantKeyStore#rewrap} when the tenant has no such key version: it was never added, or
 * {@link JdbcTenantKeyStore#destroy} shredded it. Nothing is written, so a re-wrap can never bring a shredded key back.
 */
public final class UnknownKeyVersionException extends TenancyException {
  private static final long serialVersionUID = 1L;

  private final TenantId tenant;
  private final int version;

  /**
   * Creates the exception.
   *
   * @param tenant the tenant
   * @param version the version that does not exist
   */
  public UnknownKeyVersionException(TenantId tenant, int version) {
    super("Tenant " + Objects.requireNonNull(tenant, "tenant") + " has no data key version " + version
        + " to re-wrap (it was never added, or destroy(tenant) shredded it); re-wrap only the versions that"
        + " versions(tenant) lists, and add(...) new ones");
    this.tenant = tenant;
    this.version = version;
  }

  /** @return the tenant */
  public TenantId tenant() {
    return tenant;
  }

  /** @return the version that does not exist */
  public int version() {
    return version;
  }
}
