package dev.tenancy.benchmarks;

import dev.tenancy.core.TenantContext;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.TenantScope;
import dev.tenancy.core.TenantSlug;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.slf4j.MDC;
import org.slf4j.helpers.NOPMDCAdapter;

/**
 * What a tenant scope costs, next to the bare {@link ThreadLocal} pair it is built on.
 *
 * <p>Every number is meant to be read as a ratio to {@link #bareThreadLocalSetRemove}, measured in the same run on the
 * same machine; the target is enter+exit at most twice that baseline. {@link #mdcPutRemove} and
 * {@link #tenantIdToString} break the scope's cost down: a scope also keeps the SLF4J MDC key {@code tenant.id} in step,
 * which renders the tenant id as text.
 *
 * <p>The MDC cost depends on the logging backend. Each fork selects one explicitly through {@code -Dslf4j.provider}:
 * {@link BasicMdcServiceProvider} by default (SLF4J's {@code BasicMDCAdapter}, a map per thread as Logback's adapter
 * keeps). To see the cost without any MDC, run with
 * {@code -jvmArgsAppend -Dslf4j.provider=org.slf4j.nop.NOPServiceProvider}.
 *
 * <p>Scopes are bound to the thread that opened them. JMH runs {@code @Setup}/{@code @TearDown} of a
 * {@link Scope#Thread} state on the benchmark thread itself; the states below check that at every iteration and fail
 * the run if it ever stops being true, and closing a scope from another thread would throw.
 *
 * <p>The class and its states are not {@code final} because JMH's generated code subclasses them.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Dslf4j.provider=" + BasicMdcServiceProvider.NAME)
public class TenantContextBenchmark {

  private static final ThreadLocal<Object> BARE = new ThreadLocal<>();

  static final TenantInfo ACME =
      TenantInfo.of(TenantId.of("3f2b8c1e-6d4a-4f1b-9c7e-2a5d8e0f1b3c"), TenantSlug.of("acme"));
  static final TenantInfo GLOBEX =
      TenantInfo.of(TenantId.of("9a1c7e5b-2f3d-4e6a-8b0c-d4e2f6a8b1c9"), TenantSlug.of("globex"));

  /** Creates the benchmark; JMH instantiates it. */
  public TenantContextBenchmark() {
  }

  /** A benchmark thread with no tenant, checked before and after every iteration. */
  @State(Scope.Thread)
  public static class NoTenant {

    /** The value the baseline stores, allocated once like a tenant would be. */
    final Object value = new Object();

    /** Creates the state; JMH instantiates it. */
    public NoTenant() {
    }

    /** Fails the run if the benchmark thread holds a tenant, which would turn push/pop into something else. */
    @Setup(Level.Iteration)
    @TearDown(Level.Iteration)
    public void checkNoTenant() {
      if (TenantContext.current().isPresent() || MDC.get(TenantContext.MDC_KEY) != null) {
        throw new IllegalStateException("The benchmark thread must hold no tenant, but holds "
            + TenantContext.current() + " (MDC " + MDC.get(TenantContext.MDC_KEY) + ")");
      }
    }
  }

  /**
   * A benchmark thread inside a scope for {@link #ACME}, opened once per trial on the benchmark thread itself and
   * checked to still be there, on that thread, around every iteration.
   */
  @State(Scope.Thread)
  public static class InScope {

    private @Nullable TenantScope scope;
    private @Nullable Thread owner;

    /** Creates the state; JMH instantiates it. */
    public InScope() {
    }

    /** Opens the outer scope on the thread that will run the benchmark. */
    @Setup(Level.Trial)
    public void open() {
      owner = Thread.currentThread();
      scope = TenantContext.enter(ACME);
    }

    /** Fails the run unless this is the thread that opened the scope and the scope is still current. */
    @Setup(Level.Iteration)
    @TearDown(Level.Iteration)
    public void checkInScope() {
      Thread current = Thread.currentThread();
      Optional<TenantInfo> tenant = TenantContext.current();
      String mdc = MDC.get(TenantContext.MDC_KEY);
      // A no-op MDC (slf4j-nop) always reads null; a real one must hold the outer tenant again after each invocation.
      boolean mdcAsExpected = MDC.getMDCAdapter() instanceof NOPMDCAdapter || ACME.id().toString().equals(mdc);
      if (current != owner || tenant.isEmpty() || tenant.get() != ACME || !mdcAsExpected) {
        throw new IllegalStateException("Expected thread '" + (owner == null ? null : owner.getName())
            + "' inside the scope of " + ACME.slug() + ", but thread '" + current.getName() + "' holds " + tenant
            + " (MDC " + mdc + ")");
      }
    }

    /** Closes the outer scope; this throws if JMH moved the state to another thread. */
    @TearDown(Level.Trial)
    public void close() {
      if (scope != null) {
        scope.close();
      }
    }
  }

  /** A trivial task, and the same task bound to {@link #ACME} once. */
  @State(Scope.Thread)
  public static class Tasks {

    /** Counts runs, so the task has an effect the compiler must keep. */
    long runs;
    /** The trivial task. */
    final Runnable task = () -> runs++;
    /** {@link #task} wrapped inside a scope for {@link #ACME}. */
    @Nullable Runnable wrapped;

    /** Creates the state; JMH instantiates it. */
    public Tasks() {
    }

    /** Wraps the task once, as code that keeps a bound task around would. */
    @Setup(Level.Trial)
    public void wrap() {
      TenantScope scope = TenantContext.enter(ACME);
      try {
        wrapped = TenantContext.wrap(task);
      } finally {
        scope.close();
      }
    }
  }

  /** The text the MDC holds for {@link #ACME}, rendered once. */
  @State(Scope.Thread)
  public static class MdcText {

    /** The tenant id as text. */
    final String text = ACME.id().toString();

    /** Creates the state; JMH instantiates it. */
    public MdcText() {
    }
  }

  // ---------------------------------------------------------------- baseline

  /**
   * The baseline: what any thread-bound context costs at least — one {@link ThreadLocal#set} and one
   * {@link ThreadLocal#remove}.
   *
   * @param state a thread with no tenant
   * @param bh the blackhole
   */
  @Benchmark
  public void bareThreadLocalSetRemove(NoTenant state, Blackhole bh) {
    BARE.set(state.value);
    try {
      bh.consume(state.value);
    } finally {
      BARE.remove();
    }
  }

  // ---------------------------------------------------------------- scopes

  /**
   * Entering and leaving the outermost scope: what every request pays once.
   *
   * @param state a thread with no tenant
   * @param bh the blackhole
   */
  @Benchmark
  public void enterExit(NoTenant state, Blackhole bh) {
    try (TenantScope s = TenantContext.enter(ACME)) {
      bh.consume(s);
    }
  }

  /**
   * Entering and leaving a scope for another tenant inside an open one: leaving restores the outer tenant, MDC included.
   *
   * @param state a thread inside a scope for {@link #ACME}
   * @param bh the blackhole
   */
  @Benchmark
  public void enterExitNested(InScope state, Blackhole bh) {
    try (TenantScope s = TenantContext.enter(GLOBEX)) {
      bh.consume(s);
    }
  }

  /**
   * Entering and leaving a scope for the tenant already in scope, as a helper that re-enters defensively does: the MDC
   * is left alone.
   *
   * @param state a thread inside a scope for {@link #ACME}
   * @param bh the blackhole
   */
  @Benchmark
  public void enterExitNestedSameTenant(InScope state, Blackhole bh) {
    try (TenantScope s = TenantContext.enter(ACME)) {
      bh.consume(s);
    }
  }

  /**
   * Reading the tenant inside a scope, as every guarded operation does.
   *
   * @param state a thread inside a scope for {@link #ACME}
   * @return the tenant
   */
  @Benchmark
  public TenantInfo requireInScope(InScope state) {
    return TenantContext.require();
  }

  // ---------------------------------------------------------------- propagation

  /**
   * Running the trivial task directly: the baseline for {@link #wrappedRunnable}.
   *
   * @param tasks the task
   * @param state a thread with no tenant
   */
  @Benchmark
  public void bareRunnable(Tasks tasks, NoTenant state) {
    tasks.task.run();
  }

  /**
   * Running the task bound to {@link #ACME} on a thread with no tenant, as a pool thread does: a real push and pop.
   *
   * @param tasks the wrapped task
   * @param state a thread with no tenant
   */
  @Benchmark
  public void wrappedRunnable(Tasks tasks, NoTenant state) {
    Runnable wrapped = tasks.wrapped;
    if (wrapped != null) {
      wrapped.run();
    }
  }

  /**
   * Capturing the current tenant and wrapping a task, as {@code TenantContext.wrap(executor)} does on every
   * {@code execute}: the submitting side of a thread hop ({@link #wrappedRunnable} is the running side).
   *
   * @param tasks the task
   * @param state a thread inside a scope for {@link #ACME}
   * @return the wrapped task
   */
  @Benchmark
  public Runnable captureAndWrap(Tasks tasks, InScope state) {
    return TenantContext.wrap(tasks.task);
  }

  // ---------------------------------------------------------------- breakdown

  /**
   * One MDC put and remove of a ready string: the MDC share of {@link #enterExit}, for the backend in use.
   *
   * @param text the tenant id as text
   * @param state a thread with no tenant
   */
  @Benchmark
  public void mdcPutRemove(MdcText text, NoTenant state) {
    MDC.put(TenantContext.MDC_KEY, text.text);
    MDC.remove(TenantContext.MDC_KEY);
  }

  /**
   * Rendering the tenant id as text, which every scope that changes the MDC does.
   *
   * @return the text
   */
  @Benchmark
  public String tenantIdToString() {
    return ACME.id().toString();
  }
}
