package dev.tenancy.core;

import io.micrometer.context.ThreadLocalAccessor;
import org.jspecify.annotations.Nullable;

/**
 * Lets Micrometer's context-propagation (and through it Reactor, Micrometer observations and Spring's task
 * decorators) carry the tenant across threads. Registered through {@code META-INF/services}; it only loads when the
 * application has {@code io.micrometer:context-propagation} on its class path.
 *
 * <p>Values are {@link ContextSnapshot}s; setting one opens a scope on top of whatever the thread had, and restoring
 * closes it again, so the thread ends with exactly its previous binding.
 */
public final class TenantThreadLocalAccessor implements ThreadLocalAccessor<ContextSnapshot> {

  /** The key under which the tenant travels in a {@code ContextSnapshot} of context-propagation. */
  public static final String KEY = "dev.tenancy.tenant";

  /** Creates the accessor; called by {@link java.util.ServiceLoader}. */
  public TenantThreadLocalAccessor() {
  }

  @Override
  public Object key() {
    return KEY;
  }

  @Override
  public @Nullable ContextSnapshot getValue() {
    ContextSnapshot snapshot = ContextSnapshot.capture();
    return snapshot == ContextSnapshot.empty() ? null : snapshot;
  }

  @Override
  public void setValue(ContextSnapshot value) {
    TenantContext.push(value.tenant().orElse(null), value.platformAccess().orElse(null));
  }

  @Override
  public void setValue() {
    TenantContext.push(null, null);
  }

  @Override
  public void restore(ContextSnapshot previousValue) {
    closeInnermost();
  }

  @Override
  public void restore() {
    closeInnermost();
  }

  private static void closeInnermost() {
    Frame innermost = TenantContext.currentFrame();
    if (innermost != null) {
      innermost.close();
    }
  }
}
