package dev.tenancy.core.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tenancy.core.TenantContext;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.TenantScope;
import dev.tenancy.core.TenantSlug;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TenantTasksTest {

  private final List<TenantInfo> tenants = IntStream.range(0, 6).mapToObj(i -> tenant("tenant-" + i)).toList();
  private final List<TenantId> ids = tenants.stream().map(TenantInfo::id).toList();

  @Test
  void forEachTenant_ownPool_everyJobRunsOnceAsItsOwnTenant() throws Exception {
    Queue<TenantId> seen = new ConcurrentLinkedQueue<>();
    Queue<String> threadNames = new ConcurrentLinkedQueue<>();

    TenantRunReport report = TenantTasks.forEachTenant(tenants, 3, tenant -> {
      assertThat(TenantContext.require()).isSameAs(tenant);
      seen.add(TenantContext.require().id());
      threadNames.add(Thread.currentThread().getName());
    });

    assertThat(seen).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(threadNames).allSatisfy(name -> assertThat(name).startsWith("tenancy-tasks-"));
    assertThat(report.succeeded()).containsExactlyElementsOf(ids);
    assertThat(report.allSucceeded()).isTrue();
  }

  @Test
  void forEachTenant_tenantListedTwice_runsItsJobOnce() throws Exception {
    AtomicInteger runs = new AtomicInteger();

    TenantRunReport report = TenantTasks.forEachTenant(List.of(tenants.get(0), tenants.get(0)), 2,
        tenant -> runs.incrementAndGet());

    assertThat(runs).hasValue(1);
    assertThat(report.succeeded()).containsExactly(ids.get(0));
  }

  @Test
  void forEachTenant_ownPool_jobsHeldOnLatch_neverMoreThanParallelismAtOnce() throws Exception {
    assertConcurrencyBounded(held -> TenantTasks.forEachTenant(tenants, 2, heldJob(held)));
  }

  @Test
  void forEachTenant_unboundedExecutor_jobsHeldOnLatch_neverMoreThanParallelismAtOnce() throws Exception {
    ExecutorService unbounded = Executors.newCachedThreadPool();
    try {
      assertConcurrencyBounded(held -> TenantTasks.forEachTenant(tenants, unbounded, 2, heldJob(held)));
    } finally {
      unbounded.shutdownNow();
    }
  }

  @Test
  void forEachTenant_oneTenantFails_othersSucceedAndFailureIsReported() throws Exception {
    TenantId broken = ids.get(2);
    IllegalStateException failure = new IllegalStateException("mail server refused tenant-2");

    TenantRunReport report = TenantTasks.forEachTenant(tenants, 2, tenant -> {
      if (tenant.id().equals(broken)) {
        throw failure;
      }
    });

    assertThat(report.allSucceeded()).isFalse();
    assertThat(report.failed()).containsExactly(Map.entry(broken, failure));
    assertThat(report.succeeded()).containsExactlyElementsOf(ids.stream().filter(id -> !id.equals(broken)).toList());
    assertThatThrownBy(report::throwIfAnyFailed)
        .isInstanceOfSatisfying(TenantTaskFailedException.class,
            e -> assertThat(e.failedTenants()).containsExactly(broken))
        .hasMessageContaining(broken.toString())
        .hasCause(failure);
  }

  @Test
  void throwIfAnyFailed_severalFailures_firstIsCauseOthersSuppressed() {
    RuntimeException first = new RuntimeException("first");
    RuntimeException second = new RuntimeException("second");
    Map<TenantId, Throwable> two = new LinkedHashMap<>();
    two.put(ids.get(0), first);
    two.put(ids.get(1), second);
    TenantRunReport report = new TenantRunReport(List.of(ids.get(2)), two, Duration.ZERO);

    assertThatThrownBy(report::throwIfAnyFailed)
        .hasCause(first)
        .isInstanceOfSatisfying(TenantTaskFailedException.class, e -> {
          assertThat(e.failedTenants()).containsExactly(ids.get(0), ids.get(1));
          assertThat(e.getSuppressed()).containsExactly(second);
          assertThat(e).hasMessageContaining("2 of 3 tenants");
        });
  }

  @Test
  void forEachTenant_executor_workerThreadHoldsNoTenantAfterwardsAndExecutorStaysUsable() throws Exception {
    ExecutorService single = Executors.newSingleThreadExecutor();
    try {
      TenantRunReport report = TenantTasks.forEachTenant(tenants, single, 3, tenant -> { });
      Optional<TenantInfo> onWorker = single.submit(TenantContext::current).get(10, TimeUnit.SECONDS);

      assertThat(report.succeeded()).containsExactlyElementsOf(ids);
      assertThat(onWorker).isEmpty();
      assertThat(single.isShutdown()).isFalse();
    } finally {
      single.shutdownNow();
    }
  }

  @Test
  @SuppressWarnings("try") // the open scope is what is under test, not something the body uses
  void forEachTenant_callerInOwnScopeWithDirectExecutor_callerScopeUntouchedAndJobsSeeTheirTenant() throws Exception {
    TenantInfo caller = tenant("caller");
    Queue<TenantId> seen = new ConcurrentLinkedQueue<>();

    try (TenantScope ignored = TenantContext.enter(caller)) {
      // Runnable::run executes each job on the caller's own thread: the job's scope must nest and unwind cleanly.
      TenantTasks.forEachTenant(tenants, Runnable::run, 2, tenant -> seen.add(TenantContext.require().id()));
      TenantTasks.forEachTenant(tenants, 2, tenant -> seen.add(TenantContext.require().id()));

      assertThat(TenantContext.require()).isSameAs(caller);
    }
    assertThat(seen).hasSize(2 * ids.size()).doesNotContain(caller.id());
    assertThat(TenantContext.current()).isEmpty();
  }

  @Test
  void forEachTenant_callerInterrupted_runningJobInterruptedPendingJobsNeverRun() throws Exception {
    CountDownLatch firstStarted = new CountDownLatch(1);
    CountDownLatch neverReleased = new CountDownLatch(1);
    Queue<TenantId> started = new ConcurrentLinkedQueue<>();
    AtomicReference<Throwable> jobSaw = new AtomicReference<>();
    CountDownLatch jobEnded = new CountDownLatch(1);
    AtomicReference<Thread> callerThread = new AtomicReference<>();
    ExecutorService callerPool = Executors.newSingleThreadExecutor();
    try {
      CompletableFuture<TenantRunReport> run = CompletableFuture.supplyAsync(() -> {
        callerThread.set(Thread.currentThread());
        try {
          return TenantTasks.forEachTenant(tenants, 1, tenant -> {
            started.add(tenant.id());
            firstStarted.countDown();
            try {
              neverReleased.await();
            } catch (InterruptedException e) {
              jobSaw.set(e);
            } finally {
              jobEnded.countDown();
            }
          });
        } catch (InterruptedException e) {
          throw new IllegalStateException("interrupted as expected", e);
        }
      }, callerPool);

      assertThat(firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
      callerThread.get().interrupt();

      assertThatThrownBy(() -> run.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
          .cause().hasCauseInstanceOf(InterruptedException.class);
      assertThat(jobEnded.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(jobSaw.get()).isInstanceOf(InterruptedException.class);
      assertThat(started).containsExactly(ids.get(0));
    } finally {
      callerPool.shutdownNow();
    }
  }

  @Test
  void forEachTenant_executorRejects_tenantReportedFailedAndCallReturns() throws Exception {
    Executor rejecting = task -> {
      throw new RejectedExecutionException("queue full");
    };

    TenantRunReport report = TenantTasks.forEachTenant(tenants.subList(0, 2), rejecting, 1, tenant -> { });

    assertThat(report.failed()).containsOnlyKeys(ids.get(0), ids.get(1))
        .allSatisfy((id, failure) -> assertThat(failure).isInstanceOf(RejectedExecutionException.class));
  }

  @Test
  void forEachTenant_parallelismBelowOne_throwsIllegalArgument() {
    assertThatThrownBy(() -> TenantTasks.forEachTenant(tenants, 0, tenant -> { }))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("parallelism");
  }

  /** Runs a whole bounded run on another thread and checks its high-water mark of jobs in flight. */
  private void assertConcurrencyBounded(HeldRun heldRun) throws Exception {
    Held held = new Held();
    ExecutorService callerPool = Executors.newSingleThreadExecutor();
    try {
      AtomicReference<Thread> caller = new AtomicReference<>();
      CompletableFuture<TenantRunReport> run = CompletableFuture.supplyAsync(() -> {
        caller.set(Thread.currentThread());
        try {
          return heldRun.run(held);
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      }, callerPool);

      assertThat(held.twoStarted.await(10, TimeUnit.SECONDS)).isTrue();
      // Let a run without a bound hand every tenant over before the jobs are let go.
      await().atMost(Duration.ofSeconds(10)).until(() -> caller.get().getState() == Thread.State.WAITING);
      held.release.countDown();

      assertThat(run.get(10, TimeUnit.SECONDS).succeeded()).containsExactlyElementsOf(ids);
      assertThat(held.highWater).hasValue(2);
    } finally {
      callerPool.shutdownNow();
    }
  }

  private static Consumer<TenantInfo> heldJob(Held held) {
    return tenant -> {
      int now = held.active.incrementAndGet();
      held.highWater.accumulateAndGet(now, Math::max);
      held.twoStarted.countDown();
      try {
        assertThat(held.release.await(10, TimeUnit.SECONDS)).isTrue();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        held.active.decrementAndGet();
      }
    };
  }

  private static final class Held {
    final AtomicInteger active = new AtomicInteger();
    final AtomicInteger highWater = new AtomicInteger();
    final CountDownLatch twoStarted = new CountDownLatch(2);
    final CountDownLatch release = new CountDownLatch(1);
  }

  @FunctionalInterface
  private interface HeldRun {
    TenantRunReport run(Held held) throws InterruptedException;
  }

  private static TenantInfo tenant(String slug) {
    return TenantInfo.of(TenantId.random(), TenantSlug.of(slug));
  }
}
