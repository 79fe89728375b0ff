package dev.tenancy.core.quota;

import dev.tenancy.core.TenantId;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * The concurrency slot an admitted request holds while it runs; {@link #close()} gives it back. Close it in a
 * {@code finally} block or with try-with-resources, so that the slot is returned also when the work throws — a permit
 * that is never closed keeps its slot until the application restarts.
 *
 * <pre>{@code
 * try (QuotaPermit permit = quotas.check(tenant).permit()) {
 *   chain.doFilter(request, response);
 * }
 * }</pre>
 */
public final class QuotaPermit implements AutoCloseable {

  /** The permit of a decision that took no slot (no concurrency limit, or not a request). */
  static final QuotaPermit NONE = new QuotaPermit(null, null);

  private final @Nullable BulkheadSlots slots;
  private final @Nullable TenantId tenant;
  private final AtomicBoolean closed = new AtomicBoolean();

  QuotaPermit(@Nullable BulkheadSlots slots, @Nullable TenantId tenant) {
    this.slots = slots;
    this.tenant = tenant;
  }

  /**
   * Gives the slot back. Idempotent: only the first call releases, so closing twice can never free another request's
   * slot.
   */
  @Override
  public void close() {
    if (slots != null && tenant != null && closed.compareAndSet(false, true)) {
      slots.release(tenant);
    }
  }

  @Override
  public String toString() {
    return slots == null ? "QuotaPermit[no slot]" : "QuotaPermit[" + tenant + (closed.get() ? ", closed]" : "]");
  }
}
