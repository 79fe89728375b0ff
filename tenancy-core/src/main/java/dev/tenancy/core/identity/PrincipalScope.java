package dev.tenancy.core.identity;

/**
 * A principal bound to the current thread by {@link AccessControl#enter}; closing it restores what the thread held
 * before. Close it on the thread that opened it, in reverse order of opening (try-with-resources does both).
 *
 * @since 0.1.0
 */
public interface PrincipalScope extends AutoCloseable {

  /** @return the principal this scope binds */
  TenantPrincipal principal();

  /**
   * Leaves the scope; a second call does nothing.
   *
   * @throws IllegalStateException if closed on another thread, or while an inner scope is still open (the thread's
   *     principal is then cleared entirely)
   */
  @Override
  void close();
}
