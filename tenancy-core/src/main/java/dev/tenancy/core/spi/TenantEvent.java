package dev.tenancy.core.spi;

import dev.tenancy.core.PlatformAccess;
import dev.tenancy.core.Tenant;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One change in a tenant's life.
 *
 * @param type what happened
 * @param tenant the tenant after the change
 * @param previous the tenant before the change, or {@code null} for creation
 * @param at when it happened
 * @param detail extra information (the step name, the failure message), or {@code null}
 * @param access the platform access the change was made under, or {@code null}
 */
public record TenantEvent(
    Type type,
    Tenant tenant,
    @Nullable Tenant previous,
    Instant at,
    @Nullable String detail,
    @Nullable PlatformAccess access) {

  /** Checks the required parts. */
  public TenantEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(at, "at");
  }

  /** @return the platform access the change was made under, or empty */
  public Optional<PlatformAccess> findAccess() {
    return Optional.ofNullable(access);
  }

  /** What happened. */
  public enum Type {
    /** Provisioning finished; the tenant is in its first serving status. */
    CREATED,
    /** Display name or configuration changed. */
    UPDATED,
    /** Status changed (suspended, activated, cancelled...). */
    STATUS_CHANGED,
    /** One provisioning step finished; {@link #detail()} names it. */
    PROVISIONING_STEP_COMPLETED,
    /** A provisioning step failed; {@link #detail()} holds the message. */
    PROVISIONING_FAILED,
    /** A failed provisioning was rolled back; the tenant record is gone. */
    PROVISIONING_ROLLED_BACK,
    /** The tenant's data was erased; the tenant is a {@code DELETED} tombstone. */
    PURGED
  }
}
