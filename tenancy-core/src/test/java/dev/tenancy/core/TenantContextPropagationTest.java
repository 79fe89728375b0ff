package dev.tenancy.core;

import static dev.tenancy.core.Tenants.currentSlug;
import static dev.tenancy.core.Tenants.tenant;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TenantContextPropagationTest {

  private final TenantInfo acme = tenant("acme");
  private final TenantInfo globex = tenant("globex");
  private final List<ExecutorService> pools = new ArrayList<>();

  @AfterEach
  void shutDownPools() {
    pools.forEach(ExecutorService::shutdownNow);
    assertThat(TenantContext.currentFrame()).isNull();
  }

  private <T extends ExecutorService> T pool(T pool) {
    pools.add(pool);
    return pool;
  }

  /**
   * Thousands of tasks from several tenants through two pools whose threads are reused: every wrapped task sees the
   * tenant that submitted it, and every unwrapped probe task interleaved on the same threads sees no tenant at all —
   * which fails if a worker kept the tenant of its previous task.
   */
  @Test
  void wrappedTasks_onReusedPoolThreads_seeTheSubmitterAndNeverLeak() throws Exception {
    ExecutorService fixed = pool(Executors.newFixedThreadPool(3));
    ExecutorService forkJoin = pool(new ForkJoinPool(3));
    List<TenantInfo> tenants = List.of(tenant("t-one"), tenant("t-two"), tenant("t-three"), tenant("t-four"),
        tenant("t-five"), tenant("t-six"));
    ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
    List<Future<?>> futures = new ArrayList<>();
    int perTenantAndPool = 400;

    for (ExecutorService raw : List.of(fixed, forkJoin)) {
      ExecutorService wrapped = TenantContext.wrap(raw);
      for (int i = 0; i < perTenantAndPool; i++) {
        for (TenantInfo t : tenants) {
          try (TenantScope scope = TenantContext.enter(t)) {
            futures.add(wrapped.submit(() -> {
              if (TenantContext.current().orElse(null) != t) {
                wrong.add("wrapped task of " + t.slug() + " saw " + currentSlug());
              }
            }));
            futures.add(raw.submit(() -> {
              if (TenantContext.current().isPresent()) {
                wrong.add("unwrapped probe saw " + currentSlug());
              }
            }));
          }
        }
      }
    }
    for (Future<?> f : futures) {
      f.get(30, TimeUnit.SECONDS);
    }
    assertThat(futures).hasSize(2 * 2 * perTenantAndPool * tenants.size());
    assertThat(wrong).isEmpty();
  }

  /**
   * Regression trap seen in other libraries: under CallerRunsPolicy a wrapped task runs inline on the submitting thread,
   * and a wrapper that "clears after run" wipes the caller's own tenant.
   */
  @Test
  void wrappedTask_runInlineByCallerRunsPolicy_leavesCallersTenantInPlace() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch workerBusy = new CountDownLatch(1);
    ThreadPoolExecutor saturated = pool(new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(1), new ThreadPoolExecutor.CallerRunsPolicy()));
    ExecutorService wrapped = TenantContext.wrap((ExecutorService) saturated);
    AtomicReference<Thread> inlineThread = new AtomicReference<>();
    AtomicReference<String> inlineTenant = new AtomicReference<>();
    AtomicReference<String> emptySnapshotInline = new AtomicReference<>();

    try (TenantScope scope = TenantContext.enter(acme)) {
      wrapped.execute(() -> {
        workerBusy.countDown();
        awaitQuietly(release);
      });
      workerBusy.await();
      wrapped.execute(() -> { }); // fills the queue
      wrapped.execute(() -> {     // rejected → runs inline on this thread
        inlineThread.set(Thread.currentThread());
        inlineTenant.set(currentSlug());
      });
      // a task captured with no tenant, run inline while the caller has one: sees none, caller keeps acme
      ContextSnapshot.empty().wrap(() -> emptySnapshotInline.set(currentSlug())).run();

      assertThat(inlineThread).hasValue(Thread.currentThread());
      assertThat(inlineTenant).hasValue("acme");
      assertThat(emptySnapshotInline).hasValue("<none>");
      assertThat(TenantContext.require()).as("caller's tenant must survive the inline run").isSameAs(acme);
    } finally {
      release.countDown();
    }
  }

  /**
   * Trap: a non-async continuation runs on whichever thread completes the future — here a thread working for another
   * tenant. Unwrapped, it sees that other tenant; wrapped with the snapshot of its creator, it sees the creator.
   */
  @Test
  void thenApplyCompletedOnAnotherTenantsThread_seesCreatorOnlyWhenWrapped() throws Exception {
    CompletableFuture<String> source = new CompletableFuture<>();
    CompletableFuture<String> unwrapped;
    CompletableFuture<String> wrapped;
    try (TenantScope scope = TenantContext.enter(acme)) {
      ContextSnapshot snapshot = ContextSnapshot.capture();
      unwrapped = source.thenApply(v -> currentSlug());
      wrapped = source.thenApply(snapshot.wrap((String v) -> currentSlug()));
    }
    AtomicReference<String> completerAfter = new AtomicReference<>();
    Thread completer = new Thread(() -> TenantContext.run(globex, () -> {
      source.complete("done");
      completerAfter.set(currentSlug());
    }));
    completer.start();
    completer.join();

    assertThat(unwrapped.get()).as("the trap: runs as the completing thread's tenant").isEqualTo("globex");
    assertThat(wrapped.get()).isEqualTo("acme");
    assertThat(completerAfter).as("the completing thread keeps its own tenant").hasValue("globex");
  }

  @Test
  void supplyAsyncAndRunAsync_runAsCaller_andLeaveTheWorkerClean() throws Exception {
    ExecutorService single = pool(Executors.newSingleThreadExecutor());
    AtomicReference<String> ran = new AtomicReference<>();
    CompletableFuture<String> supplied;
    CompletableFuture<Void> run;
    try (TenantScope scope = TenantContext.enter(acme)) {
      supplied = TenantContext.supplyAsync(Tenants::currentSlug, single);
      run = TenantContext.runAsync(() -> ran.set(currentSlug()), single);
    }
    assertThat(supplied.get(10, TimeUnit.SECONDS)).isEqualTo("acme");
    run.get(10, TimeUnit.SECONDS);
    assertThat(ran).hasValue("acme");
    assertThat(single.submit(Tenants::currentSlug).get(10, TimeUnit.SECONDS)).isEqualTo("<none>");
  }

  @Test
  void wrappedExecutorService_invokeAllAndInvokeAny_runAsSubmitter() throws Exception {
    ExecutorService wrapped = TenantContext.wrap(pool(Executors.newFixedThreadPool(2)));
    List<Callable<String>> tasks = List.of(Tenants::currentSlug, Tenants::currentSlug, Tenants::currentSlug);
    List<String> seen = new ArrayList<>();
    String any;
    try (TenantScope scope = TenantContext.enter(globex)) {
      for (Future<String> f : wrapped.invokeAll(tasks)) {
        seen.add(f.get());
      }
      any = wrapped.invokeAny(tasks);
    }
    assertThat(seen).containsOnly("globex");
    assertThat(any).isEqualTo("globex");
  }

  @Test
  void wrappedScheduledExecutor_everyRunOfAPeriodicTask_runsAsScheduler() throws Exception {
    ScheduledExecutorService scheduler = TenantContext.wrap(pool(Executors.newScheduledThreadPool(1)));
    CountDownLatch threeRuns = new CountDownLatch(3);
    ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
    ScheduledFuture<?> periodic;
    try (TenantScope scope = TenantContext.enter(acme)) {
      periodic = scheduler.scheduleAtFixedRate(() -> {
        seen.add(currentSlug());
        threeRuns.countDown();
      }, 0, 1, TimeUnit.MILLISECONDS);
    }
    assertThat(threeRuns.await(10, TimeUnit.SECONDS)).isTrue();
    periodic.cancel(false);
    assertThat(seen).hasSizeGreaterThanOrEqualTo(3).containsOnly("acme");
  }

  @Test
  void wrappedExecutor_capturesAtExecuteTime_notAtWrapTime() throws Exception {
    ExecutorService raw = pool(Executors.newSingleThreadExecutor());
    java.util.concurrent.Executor wrapped = TenantContext.wrap((java.util.concurrent.Executor) raw);
    AtomicReference<String> first = new AtomicReference<>();
    AtomicReference<String> second = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(2);
    TenantContext.run(acme, () -> wrapped.execute(() -> {
      first.set(currentSlug());
      done.countDown();
    }));
    TenantContext.run(globex, () -> wrapped.execute(() -> {
      second.set(currentSlug());
      done.countDown();
    }));
    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(first).hasValue("acme");
    assertThat(second).hasValue("globex");
  }

  @Test
  void snapshotRestore_whenBindingUnchanged_returnsSharedNoOpScope() {
    try (TenantScope scope = TenantContext.enter(acme)) {
      ContextSnapshot snapshot = ContextSnapshot.capture();
      TenantScope first = snapshot.restore();
      TenantScope second = snapshot.restore();
      assertThat(first).isSameAs(second);
      first.close();
      assertThat(TenantContext.require()).isSameAs(acme);
    }
    assertThat(ContextSnapshot.capture()).isSameAs(ContextSnapshot.empty());
  }

  @Test
  void snapshotOfTenant_restoredOnAThreadWithAnotherTenant_switchesAndSwitchesBack() {
    ContextSnapshot ofAcme = ContextSnapshot.of(acme);
    AtomicInteger checks = new AtomicInteger();
    TenantContext.run(globex, () -> {
      try (TenantScope scope = ofAcme.restore()) {
        assertThat(TenantContext.require()).isSameAs(acme);
        checks.incrementAndGet();
      }
      assertThat(TenantContext.require()).isSameAs(globex);
      checks.incrementAndGet();
    });
    assertThat(checks).hasValue(2);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
