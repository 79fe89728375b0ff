package dev.tenancy.core.identity;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;

/**
 * The verified principal the current thread acts for — fail closed, like {@code TenantContext}.
 *
 * <p>A principal is bound only through {@link AccessControl#enter} (which also fixes the {@link RoleCatalog} its
 * permissions come from) and read here or checked through {@link Permissions}. There is never a default principal:
 * outside a scope {@link #require()} throws. Work handed to another thread carries the principal only through
 * {@link #wrap(Runnable)} / {@link #wrap(Callable)}; wrap the tenant as well
 * ({@code PrincipalContext.wrap(TenantContext.wrap(task))}).
 *
 * <pre>{@code
 * try (TenantScope tenant = TenantContext.enter(info);
 *      PrincipalScope caller = accessControl.enter(principal)) {
 *   Permissions.require("leads:write");
 * }
 * }</pre>
 *
 * <p>Implementation notes: a plain {@link ThreadLocal} with no initial value (never inheritable, never
 * {@code withInitial}); leaving the outermost scope calls {@link ThreadLocal#remove()}.
 *
 * @since 0.1.0
 */
public final class PrincipalContext {

  private static final ThreadLocal<PrincipalFrame> CURRENT = new ThreadLocal<>();

  private PrincipalContext() {
  }

  /** @return the principal of the current thread, or empty outside a principal scope */
  public static Optional<TenantPrincipal> current() {
    PrincipalFrame frame = CURRENT.get();
    return frame == null ? Optional.empty() : Optional.of(frame.principal);
  }

  /**
   * The principal of the current thread, which must exist.
   *
   * @return the principal
   * @throws AccessDeniedException with {@link AccessDeniedException.Reason#NO_PRINCIPAL} outside a principal scope
   */
  public static TenantPrincipal require() {
    PrincipalFrame frame = CURRENT.get();
    if (frame == null) {
      throw noPrincipal(null);
    }
    return frame.principal;
  }

  /**
   * Binds a task to the current thread's principal: wherever it runs, it runs as that principal, and the running
   * thread gets back exactly what it had afterwards. Outside a principal scope the task runs with none.
   *
   * @param task the task
   * @return the wrapped task
   */
  public static Runnable wrap(Runnable task) {
    Objects.requireNonNull(task, "task");
    PrincipalFrame captured = CURRENT.get();
    if (captured == null) {
      return task;
    }
    return () -> {
      try (PrincipalScope ignored = push(captured.principal, captured.access)) {
        task.run();
      }
    };
  }

  /**
   * Binds a task to the current thread's principal.
   *
   * @param task the task
   * @param <T> the result type
   * @return the wrapped task
   */
  public static <T> Callable<T> wrap(Callable<T> task) {
    Objects.requireNonNull(task, "task");
    PrincipalFrame captured = CURRENT.get();
    if (captured == null) {
      return task;
    }
    return () -> {
      try (PrincipalScope ignored = push(captured.principal, captured.access)) {
        return task.call();
      }
    };
  }

  static @Nullable PrincipalFrame frame() {
    return CURRENT.get();
  }

  static AccessDeniedException noPrincipal(@Nullable String permission) {
    return new AccessDeniedException(AccessDeniedException.Reason.NO_PRINCIPAL, permission, "No principal in scope on "
        + "thread '" + Thread.currentThread().getName() + "'" + (permission == null ? "" : " to hold " + permission)
        + ": authenticate the request and bind its principal with AccessControl.enter(principal), or hand work to "
        + "other threads through PrincipalContext.wrap(...)");
  }

  static PrincipalFrame push(TenantPrincipal principal, AccessControl access) {
    PrincipalFrame frame = new PrincipalFrame(principal, access, CURRENT.get(), Thread.currentThread());
    CURRENT.set(frame);
    return frame;
  }

  static void exit(PrincipalFrame frame) {
    if (frame.isClosed()) {
      return;
    }
    if (frame.owner != Thread.currentThread()) {
      throw new IllegalStateException("A principal scope must be closed on the thread that opened it ('"
          + frame.owner.getName() + "'), not on '" + Thread.currentThread().getName() + "'");
    }
    PrincipalFrame current = CURRENT.get();
    if (current != frame) {
      // Fail closed: after a misuse the thread holds no principal at all rather than a guess.
      for (PrincipalFrame f = current; f != null; f = f.previous) {
        f.markClosed();
      }
      CURRENT.remove();
      throw new IllegalStateException("Principal scopes closed out of order: " + frame + " was closed while "
          + current + " was still open. The thread's principal has been cleared; close scopes in reverse order "
          + "(use try-with-resources)");
    }
    frame.markClosed();
    if (frame.previous == null) {
      CURRENT.remove();
    } else {
      CURRENT.set(frame.previous);
    }
  }
}
