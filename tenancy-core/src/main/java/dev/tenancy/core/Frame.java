package dev.tenancy.core;

import org.jspecify.annotations.Nullable;

/**
 * One entry of a thread's tenant stack: what the thread runs as now, and what it ran as before.
 *
 * <p>A frame is also the {@link TenantScope} handed out by {@link TenantContext#enter}, so entering a scope allocates
 * exactly one object.
 */
final class Frame implements TenantScope {

  final @Nullable TenantInfo tenant;
  final @Nullable PlatformAccess platform;
  final @Nullable Frame previous;
  final Thread owner;
  private boolean closed;

  Frame(@Nullable TenantInfo tenant, @Nullable PlatformAccess platform, @Nullable Frame previous, Thread owner) {
    this.tenant = tenant;
    this.platform = platform;
    this.previous = previous;
    this.owner = owner;
  }

  boolean isClosed() {
    return closed;
  }

  void markClosed() {
    closed = true;
  }

  /** Whether this frame binds exactly what {@code other} binds (same objects: no equals on the hot path). */
  boolean sameBindingAs(@Nullable TenantInfo otherTenant, @Nullable PlatformAccess otherPlatform) {
    return tenant == otherTenant && platform == otherPlatform;
  }

  @Override
  public void close() {
    TenantContext.exit(this);
  }

  @Override
  public String toString() {
    return "TenantScope[" + (tenant == null ? "no tenant" : tenant.id()) + (platform == null ? "" : ", platform") + "]";
  }
}
