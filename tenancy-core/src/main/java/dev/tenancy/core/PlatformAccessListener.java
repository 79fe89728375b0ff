package dev.tenancy.core;

/**
 * Hears every platform (cross-tenant) access before it starts; the audit log registers one.
 *
 * <p>This is a guard, not an observer: if a listener throws, the access is refused and the exception propagates to the
 * caller. An access that cannot be recorded does not happen.
 */
@FunctionalInterface
public interface PlatformAccessListener {

  /**
   * Records an access that is about to start.
   *
   * @param access who, why, where and when
   */
  void onPlatformAccess(PlatformAccess access);
}
