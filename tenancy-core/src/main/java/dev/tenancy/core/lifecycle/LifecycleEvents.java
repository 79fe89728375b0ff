package dev.tenancy.core.lifecycle;

import dev.tenancy.core.PlatformAccess;
import dev.tenancy.core.Tenant;
import dev.tenancy.core.spi.TenantEvent;
import dev.tenancy.core.spi.TenantLifecycleListener;
import java.time.Clock;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Tells the listeners; a listener that throws is an observer failure: logged and ignored, never undoing the change. */
final class LifecycleEvents {

  private static final Logger LOG = LoggerFactory.getLogger(TenantService.class);

  private final List<TenantLifecycleListener> listeners;
  private final Clock clock;

  LifecycleEvents(List<TenantLifecycleListener> listeners, Clock clock) {
    this.listeners = List.copyOf(listeners);
    this.clock = clock;
  }

  void publish(TenantEvent.Type type, Tenant tenant, @Nullable Tenant previous, @Nullable String detail,
      @Nullable PlatformAccess access) {
    if (listeners.isEmpty()) {
      return;
    }
    TenantEvent event = new TenantEvent(type, tenant, previous, clock.instant(), detail, access);
    for (TenantLifecycleListener listener : listeners) {
      try {
        listener.onEvent(event);
      } catch (RuntimeException e) {
        LOG.warn("Tenant lifecycle listener {} failed on {} for tenant {}; the change stands, the failure is "
            + "ignored",
            listener, type, tenant.id(), e);
      }
    }
  }
}
