package dev.tenancy.core.spi;

/**
 * Hears every change to a tenant's life: created, updated, status changed, provisioning steps, deleted, purged.
 *
 * <p>An observer: a listener that throws is logged and ignored, and never undoes the change it was told about.
 */
@FunctionalInterface
public interface TenantLifecycleListener {

  /**
   * Called after a change has been stored.
   *
   * @param event what happened
   */
  void onEvent(TenantEvent event);
}
