package dev.tenancy.core;

/**
 * An open tenant (or platform) scope on the current thread; closing it restores what the thread had before.
 *
 * <p>Scopes nest and must be closed in reverse order, on the thread that opened them — use try-with-resources.
 * Closing a scope twice is harmless. Closing one out of order is a bug that would leave the thread bound to the wrong
 * tenant, so it throws {@link IllegalStateException} and clears the thread's tenant entirely (fail closed).
 */
public interface TenantScope extends AutoCloseable {

  /**
   * Leaves the scope.
   *
   * @throws IllegalStateException if an inner scope is still open, or the call comes from another thread
   */
  @Override
  void close();
}
