package dev.tenancy.core.task;

import dev.tenancy.core.TenancyException;
import dev.tenancy.core.TenantId;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Thrown by {@link TenantRunReport#throwIfAnyFailed()} when the job failed for at least one tenant. The first failure
 * is the cause; the others are suppressed exceptions.
 */
public final class TenantTaskFailedException extends TenancyException {
  private static final long serialVersionUID = 1L;

  // Text, not TenantId, so that the exception stays serializable like every TenancyException.
  private final List<String> failedTenants;

  TenantTaskFailedException(Map<TenantId, Throwable> failed, int tenantCount) {
    super("The job failed for " + failed.size() + " of " + tenantCount + " tenants: " + failed.keySet()
        + ". The first failure is the cause and the others are suppressed; fix the job or run it again for these "
        + "tenants only", failed.values().iterator().next());
    this.failedTenants = failed.keySet().stream().map(TenantId::toString).toList();
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    seen.add(getCause());
    for (Throwable failure : failed.values()) {
      // A job that rethrows one shared exception instance for several tenants must not be reported twice.
      if (seen.add(failure)) {
        addSuppressed(failure);
      }
    }
  }

  /**
   * The tenants whose job failed, in the order they were passed in.
   *
   * @return the failed tenants
   */
  public List<TenantId> failedTenants() {
    return failedTenants.stream().map(TenantId::of).toList();
  }
}
