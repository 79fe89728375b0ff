package dev.tenancy.core.task;

import dev.tenancy.core.TenantId;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The outcome of {@link TenantTasks#forEachTenant}: which tenants' jobs succeeded, which failed and why, and how long
 * the whole run took. Both collections follow the order in which the tenants were passed in.
 *
 * @param succeeded the tenants whose job returned normally
 * @param failed the tenants whose job threw, each with what it threw, in the order the tenants were passed in
 * @param elapsed the wall-clock time of the whole run
 */
public record TenantRunReport(List<TenantId> succeeded, Map<TenantId, Throwable> failed, Duration elapsed) {

  /** Checks the parts and makes them unmodifiable, keeping the order of {@code failed}. */
  public TenantRunReport {
    succeeded = List.copyOf(Objects.requireNonNull(succeeded, "succeeded"));
    Objects.requireNonNull(failed, "failed");
    failed.forEach((tenant, failure) -> {
      Objects.requireNonNull(tenant, "failed tenant");
      Objects.requireNonNull(failure, "failure");
    });
    failed = Collections.unmodifiableMap(new LinkedHashMap<>(failed));
    Objects.requireNonNull(elapsed, "elapsed");
    if (elapsed.isNegative()) {
      throw new IllegalArgumentException("elapsed must not be negative, was " + elapsed);
    }
  }

  /**
   * Whether every tenant's job succeeded.
   *
   * @return {@code true} if no job failed
   */
  public boolean allSucceeded() {
    return failed.isEmpty();
  }

  /**
   * Turns failures into an exception, for callers that treat any failed tenant as a failed run.
   *
   * @throws TenantTaskFailedException if at least one job failed; it names every failed tenant, has the first failure
   *     as its cause and the others as suppressed exceptions
   */
  public void throwIfAnyFailed() {
    if (!failed.isEmpty()) {
      throw new TenantTaskFailedException(failed, succeeded.size() + failed.size());
    }
  }
}
