package dev.tenancy.core;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The tenant the current thread works for — fail closed.
 *
 * <p>There is never a default tenant: {@link #require()} throws {@link NoTenantException} outside a scope. Scopes
 * nest and restore the outer tenant when closed; the SLF4J MDC key {@value #MDC_KEY} follows the scope. Work handed to
 * other threads carries the tenant only through the wrappers here or a {@link ContextSnapshot}; after a wrapped task
 * the worker thread holds exactly what it held before (normally nothing).
 *
 * <pre>{@code
 * try (TenantScope scope = TenantContext.enter(tenant)) {
 *   repository.findLeads();                       // bound to tenant
 *   executor.submit(TenantContext.wrap(task));    // task runs as tenant too
 * }
 * TenantContext.current();                        // Optional.empty()
 * }</pre>
 *
 * <p>Implementation notes: a plain {@link ThreadLocal} with no initial value (an {@code InheritableThreadLocal} would
 * leak a tenant into pooled threads created while it was set, and {@code withInitial} would turn a cleared thread into
 * a default tenant); leaving the outermost scope calls {@link ThreadLocal#remove()}, never {@code set(null)}.
 */
public final class TenantContext {

  /** The SLF4J MDC key holding the current tenant id. */
  public static final String MDC_KEY = "tenant.id";

  private static final Logger PLATFORM_LOG = LoggerFactory.getLogger("dev.tenancy.platform-access");
  private static final ThreadLocal<Frame> CURRENT = new ThreadLocal<>();
  private static final List<PlatformAccessListener> PLATFORM_LISTENERS = new CopyOnWriteArrayList<>();
  private static volatile Clock clock = Clock.systemUTC();

  private TenantContext() {
  }

  // ---------------------------------------------------------------- reading

  /**
   * The tenant of the current thread.
   *
   * @return the tenant, or empty outside a tenant scope (including a platform scope without a tenant)
   */
  public static Optional<TenantInfo> current() {
    Frame frame = CURRENT.get();
    return frame == null ? Optional.empty() : Optional.ofNullable(frame.tenant);
  }

  /**
   * The tenant of the current thread, which must exist.
   *
   * @return the tenant
   * @throws NoTenantException outside a tenant scope
   */
  public static TenantInfo require() {
    Frame frame = CURRENT.get();
    if (frame == null || frame.tenant == null) {
      throw new NoTenantException("No tenant in scope on thread '" + Thread.currentThread().getName()
          + "': run this inside TenantContext.enter(...)/run(...), or hand it to another thread through "
          + "TenantContext.wrap(...) so the submitting tenant travels with it");
    }
    return frame.tenant;
  }

  /**
   * The platform access the current thread runs under, if any.
   *
   * @return the access, or empty outside {@link #asPlatform}
   */
  public static Optional<PlatformAccess> platformAccess() {
    Frame frame = CURRENT.get();
    return frame == null ? Optional.empty() : Optional.ofNullable(frame.platform);
  }

  /** @return {@code true} inside {@link #asPlatform} */
  public static boolean isPlatform() {
    Frame frame = CURRENT.get();
    return frame != null && frame.platform != null;
  }

  // ---------------------------------------------------------------- scoping

  /**
   * Opens a scope for a tenant on the current thread.
   *
   * @param tenant the tenant to work for
   * @return the scope; close it (try-with-resources) to restore the previous tenant
   */
  public static TenantScope enter(TenantInfo tenant) {
    Objects.requireNonNull(tenant, "tenant");
    return push(tenant, null);
  }

  /**
   * Runs an action as a tenant.
   *
   * @param tenant the tenant
   * @param action the action
   */
  public static void run(TenantInfo tenant, Runnable action) {
    Objects.requireNonNull(action, "action");
    try (TenantScope ignored = enter(tenant)) {
      action.run();
    }
  }

  /**
   * Computes a value as a tenant.
   *
   * @param tenant the tenant
   * @param action the computation
   * @param <T> the result type
   * @return the result
   * @throws Exception whatever the action throws
   */
  public static <T> T call(TenantInfo tenant, Callable<T> action) throws Exception {
    Objects.requireNonNull(action, "action");
    try (TenantScope ignored = enter(tenant)) {
      return action.call();
    }
  }

  /**
   * Computes a value as a tenant, for actions that throw no checked exception.
   *
   * @param tenant the tenant
   * @param action the computation
   * @param <T> the result type
   * @return the result
   */
  public static <T> T get(TenantInfo tenant, Supplier<T> action) {
    Objects.requireNonNull(action, "action");
    try (TenantScope ignored = enter(tenant)) {
      return action.get();
    }
  }

  // ---------------------------------------------------------------- platform access

  /**
   * Runs cross-tenant work as the platform: no tenant is in scope ({@link #require()} throws), and
   * {@link #platformAccess()} tells adapters (such as the JDBC data source) that unscoped access is deliberate. The
   * access is announced to every {@link PlatformAccessListener} and logged before the action runs; if a listener
   * throws, the action does not run.
   *
   * @param actor who acts
   * @param reason why; required
   * @param action the work
   * @param <T> the result type
   * @return the result
   * @throws Exception whatever the action throws
   */
  public static <T> T asPlatform(String actor, String reason, Callable<T> action) throws Exception {
    return asPlatform(actor, reason, null, action);
  }

  /**
   * Acts inside one tenant as the platform (for example a support engineer reading a tenant's data): the tenant is in
   * scope as usual and the access is marked and announced as in {@link #asPlatform(String, String, Callable)}.
   *
   * @param actor who acts
   * @param reason why; required
   * @param tenant the tenant to act in, or {@code null} for cross-tenant work
   * @param action the work
   * @param <T> the result type
   * @return the result
   * @throws Exception whatever the action throws
   */
  public static <T> T asPlatform(String actor, String reason, @Nullable TenantInfo tenant, Callable<T> action)
      throws Exception {
    Objects.requireNonNull(action, "action");
    PlatformAccess access = new PlatformAccess(actor, reason, tenant == null ? null : tenant.id(), clock.instant());
    for (PlatformAccessListener listener : PLATFORM_LISTENERS) {
      listener.onPlatformAccess(access);
    }
    PLATFORM_LOG.info("platform access by '{}' into {} because: {}", access.actor(),
        tenant == null ? "all tenants" : "tenant " + tenant.id(), access.reason());
    try (TenantScope ignored = push(tenant, access)) {
      return action.call();
    }
  }

  /**
   * Registers a listener that hears every platform access before it starts.
   *
   * @param listener the listener; if it throws, the access is refused
   * @return a handle whose {@code close()} removes the listener
   */
  public static AutoCloseable addPlatformAccessListener(PlatformAccessListener listener) {
    Objects.requireNonNull(listener, "listener");
    PLATFORM_LISTENERS.add(listener);
    return () -> PLATFORM_LISTENERS.remove(listener);
  }

  /** Replaces the clock that time-stamps platform access; for tests. */
  static void useClock(Clock newClock) {
    clock = Objects.requireNonNull(newClock, "clock");
  }

  // ---------------------------------------------------------------- propagation

  /**
   * Binds a task to the current thread's tenant: wherever it runs, it runs as that tenant, and the running thread
   * gets back exactly what it had afterwards.
   *
   * @param task the task
   * @return the wrapped task
   */
  public static Runnable wrap(Runnable task) {
    return ContextSnapshot.capture().wrap(task);
  }

  /**
   * Binds a task to the current thread's tenant.
   *
   * @param task the task
   * @param <T> the result type
   * @return the wrapped task
   */
  public static <T> Callable<T> wrap(Callable<T> task) {
    return ContextSnapshot.capture().wrap(task);
  }

  /**
   * An executor that runs every task as the tenant that submitted it (captured at {@code execute} time).
   *
   * @param executor the executor to decorate
   * @return the decorated executor
   */
  public static Executor wrap(Executor executor) {
    Objects.requireNonNull(executor, "executor");
    return task -> executor.execute(wrap(task));
  }

  /**
   * An executor service that runs every task as the tenant that submitted it. Shutting it down shuts down the
   * delegate.
   *
   * @param executor the service to decorate
   * @return the decorated service
   */
  public static ExecutorService wrap(ExecutorService executor) {
    return new ContextExecutorService(Objects.requireNonNull(executor, "executor"));
  }

  /**
   * A scheduled executor service that runs every task (including each run of a periodic one) as the tenant that
   * scheduled it.
   *
   * @param executor the service to decorate
   * @return the decorated service
   */
  public static ScheduledExecutorService wrap(ScheduledExecutorService executor) {
    return new ContextScheduledExecutorService(Objects.requireNonNull(executor, "executor"));
  }

  /**
   * Like {@link CompletableFuture#supplyAsync(Supplier, Executor)}, with the supplier bound to the caller's tenant.
   * Continuations added later run wherever the future completes: bind them with {@link ContextSnapshot#wrap}.
   *
   * @param supplier the computation
   * @param executor where to run it
   * @param <T> the result type
   * @return the future
   */
  public static <T> CompletableFuture<T> supplyAsync(Supplier<T> supplier, Executor executor) {
    return CompletableFuture.supplyAsync(ContextSnapshot.capture().wrap(supplier), executor);
  }

  /**
   * Like {@link CompletableFuture#runAsync(Runnable, Executor)}, with the action bound to the caller's tenant.
   *
   * @param action the action
   * @param executor where to run it
   * @return the future
   */
  public static CompletableFuture<Void> runAsync(Runnable action, Executor executor) {
    return CompletableFuture.runAsync(wrap(action), executor);
  }

  // ---------------------------------------------------------------- the stack (package-private)

  static @Nullable Frame currentFrame() {
    return CURRENT.get();
  }

  /** Pushes a binding; the returned frame restores the previous one when closed. */
  static Frame push(@Nullable TenantInfo tenant, @Nullable PlatformAccess platform) {
    Frame previous = CURRENT.get();
    Frame frame = new Frame(tenant, platform, previous, Thread.currentThread());
    CURRENT.set(frame);
    updateMdc(previous, tenant);
    return frame;
  }

  /** Leaves {@code frame}, which must be the innermost open scope of the calling thread. */
  static void exit(Frame frame) {
    if (frame.isClosed()) {
      return;
    }
    if (frame.owner != Thread.currentThread()) {
      throw new IllegalStateException("A tenant scope must be closed on the thread that opened it ('"
          + frame.owner.getName() + "'), not on '" + Thread.currentThread().getName() + "'");
    }
    Frame current = CURRENT.get();
    if (current != frame) {
      clearAfterMisuse(current);
      throw new IllegalStateException("Tenant scopes closed out of order: " + frame + " was closed while "
          + current + " was still open. The thread's tenant has been cleared; close scopes in reverse order "
          + "(use try-with-resources)");
    }
    frame.markClosed();
    Frame previous = frame.previous;
    if (previous == null) {
      CURRENT.remove();
      MDC.remove(MDC_KEY);
    } else {
      CURRENT.set(previous);
      updateMdc(frame, previous.tenant);
    }
  }

  /** Fail closed after an out-of-order close: every frame on this thread is closed and the thread holds nothing. */
  private static void clearAfterMisuse(@Nullable Frame current) {
    for (Frame f = current; f != null; f = f.previous) {
      f.markClosed();
    }
    CURRENT.remove();
    MDC.remove(MDC_KEY);
  }

  private static void updateMdc(@Nullable Frame before, @Nullable TenantInfo now) {
    TenantInfo was = before == null ? null : before.tenant;
    if (was == now) {
      return;
    }
    if (now == null) {
      MDC.remove(MDC_KEY);
    } else if (was == null || !was.id().equals(now.id())) {
      MDC.put(MDC_KEY, now.id().toString());
    }
  }
}
