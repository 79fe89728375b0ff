package dev.tenancy.core;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The tenant binding of one thread at one moment, to be restored on another thread later.
 *
 * <p>A snapshot of "no tenant" is meaningful too: restoring it runs the work with no tenant even on a thread that
 * currently has one. Use a snapshot to bind continuations that may run wherever a future completes:
 *
 * <pre>{@code
 * ContextSnapshot snapshot = ContextSnapshot.capture();
 * future.thenApply(snapshot.wrap(lead -> score(lead)));   // runs as the capturing tenant, on any thread
 * }</pre>
 */
public final class ContextSnapshot {

  private static final ContextSnapshot EMPTY = new ContextSnapshot(null, null);
  private static final TenantScope NOTHING_CHANGED = () -> { };

  private final @Nullable TenantInfo tenant;
  private final @Nullable PlatformAccess platform;

  private ContextSnapshot(@Nullable TenantInfo tenant, @Nullable PlatformAccess platform) {
    this.tenant = tenant;
    this.platform = platform;
  }

  /**
   * Captures the current thread's binding.
   *
   * @return the snapshot (a shared instance when the thread has no tenant)
   */
  public static ContextSnapshot capture() {
    Frame frame = TenantContext.currentFrame();
    if (frame == null || (frame.tenant == null && frame.platform == null)) {
      return EMPTY;
    }
    return new ContextSnapshot(frame.tenant, frame.platform);
  }

  /**
   * A snapshot of "no tenant".
   *
   * @return the empty snapshot
   */
  public static ContextSnapshot empty() {
    return EMPTY;
  }

  /**
   * A snapshot of one tenant, as if captured inside its scope.
   *
   * @param tenant the tenant
   * @return the snapshot
   */
  public static ContextSnapshot of(TenantInfo tenant) {
    return new ContextSnapshot(Objects.requireNonNull(tenant, "tenant"), null);
  }

  /** @return the captured tenant, or empty */
  public Optional<TenantInfo> tenant() {
    return Optional.ofNullable(tenant);
  }

  /** @return the captured platform access, or empty */
  public Optional<PlatformAccess> platformAccess() {
    return Optional.ofNullable(platform);
  }

  /**
   * Makes the captured binding current on this thread until the returned scope is closed. When the thread already
   * has exactly this binding nothing is allocated or changed.
   *
   * @return the scope to close
   */
  public TenantScope restore() {
    Frame current = TenantContext.currentFrame();
    if (current == null ? tenant == null && platform == null : current.sameBindingAs(tenant, platform)) {
      return NOTHING_CHANGED;
    }
    return TenantContext.push(tenant, platform);
  }

  /**
   * @param task a task
   * @return the task, running under this snapshot wherever it runs
   */
  public Runnable wrap(Runnable task) {
    Objects.requireNonNull(task, "task");
    return () -> {
      try (TenantScope ignored = restore()) {
        task.run();
      }
    };
  }

  /**
   * @param task a task
   * @param <T> the result type
   * @return the task, running under this snapshot wherever it runs
   */
  public <T> Callable<T> wrap(Callable<T> task) {
    Objects.requireNonNull(task, "task");
    return () -> {
      try (TenantScope ignored = restore()) {
        return task.call();
      }
    };
  }

  /**
   * @param supplier a supplier
   * @param <T> the result type
   * @return the supplier, running under this snapshot wherever it runs
   */
  public <T> Supplier<T> wrap(Supplier<T> supplier) {
    Objects.requireNonNull(supplier, "supplier");
    return () -> {
      try (TenantScope ignored = restore()) {
        return supplier.get();
      }
    };
  }

  /**
   * @param function a function, e.g. a {@code thenApply} continuation
   * @param <T> the argument type
   * @param <R> the result type
   * @return the function, running under this snapshot wherever it runs
   */
  public <T, R> Function<T, R> wrap(Function<T, R> function) {
    Objects.requireNonNull(function, "function");
    return value -> {
      try (TenantScope ignored = restore()) {
        return function.apply(value);
      }
    };
  }

  /**
   * @param consumer a consumer, e.g. a {@code thenAccept} continuation
   * @param <T> the argument type
   * @return the consumer, running under this snapshot wherever it runs
   */
  public <T> Consumer<T> wrap(Consumer<T> consumer) {
    Objects.requireNonNull(consumer, "consumer");
    return value -> {
      try (TenantScope ignored = restore()) {
        consumer.accept(value);
      }
    };
  }

  /**
   * @param function a two-argument function, e.g. a {@code handle} continuation
   * @param <T> the first argument type
   * @param <U> the second argument type
   * @param <R> the result type
   * @return the function, running under this snapshot wherever it runs
   */
  public <T, U, R> BiFunction<T, U, R> wrap(BiFunction<T, U, R> function) {
    Objects.requireNonNull(function, "function");
    return (first, second) -> {
      try (TenantScope ignored = restore()) {
        return function.apply(first, second);
      }
    };
  }

  @Override
  public String toString() {
    return "ContextSnapshot[" + (tenant == null ? "no tenant" : tenant.id()) + (platform == null ? "" : ", platform") + "]";
  }
}
