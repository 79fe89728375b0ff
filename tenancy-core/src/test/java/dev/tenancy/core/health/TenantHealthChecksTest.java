package dev.tenancy.core.health;

import static dev.tenancy.core.health.HealthFixtures.check;
import static dev.tenancy.core.health.HealthFixtures.platformCheck;
import static dev.tenancy.core.health.HealthFixtures.tenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantContext;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.TenantNotFoundException;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.memory.InMemoryTenantStore;
import dev.tenancy.core.spi.TenantHealthCheck;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A runner without time limits or bounds would hang here rather than fail: the class timeout makes that a failure. */
@Timeout(60)
class TenantHealthChecksTest {

  private final InMemoryTenantStore store = new InMemoryTenantStore();

  private Tenant stored(String slug, TenantStatus status) {
    return store.insert(tenant(slug, status));
  }

  private TenantHealthChecks.Builder runner() {
    return TenantHealthChecks.builder().tenants(store);
  }

  @Test
  void check_isTheWorstOfItsChecks_inTheOrderTheyWereAdded() throws Exception {
    Tenant acme = stored("acme", TenantStatus.ACTIVE);
    TenantHealthChecks checks = runner()
        .check(check("zeta", t -> CheckResult.up("fine")))
        .check(check("alpha", t -> CheckResult.degraded("look")))
        .build();

    TenantHealth health = checks.check(acme.id());

    assertThat(health.status()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(health.checks().keySet()).containsExactly("zeta", "alpha");
    assertThat(health.tenant()).isEqualTo(acme.id());
    assertThat(checks.names()).containsExactly("zeta", "alpha");

    TenantHealthChecks withDown = runner().check(check("a", t -> CheckResult.degraded("look")))
        .check(check("b", t -> CheckResult.down("broken"))).build();
    assertThat(withDown.check(acme).status()).isEqualTo(HealthStatus.DOWN);
  }

  @Test
  void check_throwingCheck_isDownWithTheExceptionClassOnly_andTheOtherChecksStillReport() throws Exception {
    Tenant acme = stored("acme", TenantStatus.ACTIVE);
    TenantHealthChecks checks = runner()
        .check(check("throws", t -> {
          throw new IllegalStateException("row 'Secret Corp' of tenant 42 is bad");
        }))
        .check(check("fine", t -> CheckResult.up("fine")))
        .build();

    TenantHealth health = checks.check(acme);

    CheckResult thrown = health.check("throws");
    assertThat(thrown.status()).isEqualTo(HealthStatus.DOWN);
    assertThat(thrown.detail()).contains("java.lang.IllegalStateException").doesNotContain("Secret Corp");
    assertThat(thrown.facts()).containsEntry("exception", "java.lang.IllegalStateException");
    assertThat(health.check("fine").status()).isEqualTo(HealthStatus.UP);
    assertThat(health.status()).isEqualTo(HealthStatus.DOWN);
  }

  @Test
  void check_returningNull_isDown() throws Exception {
    TenantHealthChecks checks = runner().check(check("silent", t -> null)).build();

    CheckResult result = checks.check(stored("acme", TenantStatus.ACTIVE)).check("silent");

    assertThat(result.status()).isEqualTo(HealthStatus.DOWN);
    assertThat(result.detail()).contains("no result");
  }

  @Test
  void check_overrunningItsTimeLimit_isDown_andIsInterrupted() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    TenantHealthChecks checks = runner()
        .timeout(Duration.ofMillis(200))
        .check(check("hangs", t -> {
          try {
            never.await();
            return CheckResult.up("unreachable");
          } catch (InterruptedException e) {
            interrupted.countDown();
            return CheckResult.up("interrupted, but too late to count");
          }
        }))
        .check(check("fine", t -> CheckResult.up("fine")))
        .build();

    long start = System.nanoTime();
    TenantHealth health = checks.check(stored("acme", TenantStatus.ACTIVE));

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    CheckResult hung = health.check("hangs");
    assertThat(hung.status()).isEqualTo(HealthStatus.DOWN);
    assertThat(hung.detail()).contains("did not finish within PT0.2S");
    assertThat(hung.facts()).containsEntry("timeoutMillis", 200L);
    assertThat(health.check("fine").status()).isEqualTo(HealthStatus.UP);
    await().atMost(Duration.ofSeconds(5)).until(() -> interrupted.getCount() == 0);
  }

  /**
   * A check that swallows interruption keeps its thread, but must not keep its place among the parallel checks: with
   * parallelism 1 the second tenant's check would otherwise wait for ever.
   */
  @Test
  void verifyPlatform_checkIgnoringInterruption_doesNotBlockTheOthers() throws Exception {
    Tenant stuck = stored("aaa-stuck", TenantStatus.ACTIVE);
    stored("bbb-fine", TenantStatus.ACTIVE);
    CountDownLatch release = new CountDownLatch(1);
    TenantHealthChecks checks = runner()
        .parallelism(1)
        .timeout(Duration.ofMillis(150))
        .check(check("stubborn", t -> {
          if (t.id().equals(stuck.id())) {
            while (release.getCount() > 0) {
              try {
                release.await();
              } catch (InterruptedException ignored) {
                // deliberately deaf
              }
            }
          }
          return CheckResult.up("fine");
        }))
        .build();
    try {
      PlatformVerification report = checks.verifyPlatform();

      assertThat(report.counts()).containsEntry(HealthStatus.DOWN, 1).containsEntry(HealthStatus.UP, 1);
      assertThat(report.tenants().get(0).tenant()).isEqualTo(stuck.id());
    } finally {
      release.countDown();
    }
  }

  @Test
  void check_runsInsideTheTenantsScope_andLeavesTheCallerWithoutOne() throws Exception {
    Tenant acme = stored("acme", TenantStatus.SUSPENDED);
    AtomicReference<TenantInfo> seen = new AtomicReference<>();
    TenantHealthChecks checks = runner().check(check("scope", t -> {
      seen.set(TenantContext.require());
      return CheckResult.up("fine");
    })).build();

    checks.check(acme);

    assertThat(seen.get().id()).isEqualTo(acme.id());
    assertThat(seen.get().status()).isEqualTo(TenantStatus.SUSPENDED);
    assertThat(TenantContext.current()).isEmpty();
  }

  @Test
  void checkPlatform_runsWithoutATenant_overEveryTenant_andLeavesOutChecksWithoutAPlatformForm() throws Exception {
    Tenant acme = stored("acme", TenantStatus.ACTIVE);
    Tenant gone = stored("gone", TenantStatus.DELETED);
    AtomicReference<Optional<TenantInfo>> scope = new AtomicReference<>();
    AtomicReference<List<Tenant>> given = new AtomicReference<>();
    TenantHealthChecks checks = runner()
        .check(check("tenant-only", t -> CheckResult.up("fine")))
        .check(platformCheck("orphans", CheckResult.up("fine"), tenants -> {
          scope.set(TenantContext.current());
          given.set(tenants);
          return CheckResult.degraded("3 orphan rows").withFact("rows", 3L);
        }))
        .build();

    PlatformHealth health = checks.checkPlatform();

    assertThat(health.checks()).containsOnlyKeys("orphans");
    assertThat(health.status()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(scope.get()).isEmpty();
    assertThat(given.get()).extracting(Tenant::id).containsExactlyInAnyOrder(acme.id(), gone.id());
  }

  @Test
  void checkPlatform_returningNull_isDown() throws Exception {
    stored("acme", TenantStatus.ACTIVE);
    TenantHealthCheck nullPlatform = new TenantHealthCheck() {
      @Override
      public String name() {
        return "careless";
      }

      @Override
      public CheckResult check(Tenant tenant) {
        return CheckResult.up("fine");
      }

      @Override
      public Optional<CheckResult> checkPlatform(List<Tenant> tenants) {
        return null;
      }
    };

    PlatformHealth health = runner().check(nullPlatform).build().checkPlatform();

    assertThat(health.checks().get("careless").status()).isEqualTo(HealthStatus.DOWN);
  }

  @Test
  void verifyPlatform_checksEveryTenantAcrossPages_deletedIncluded_failingFirst() throws Exception {
    for (int i = 0; i < 520; i++) {
      stored(String.format("t%03d", i), TenantStatus.ACTIVE);
    }
    Tenant purged = stored("t250-purged", TenantStatus.DELETED);
    Tenant broken = stored("t400-broken", TenantStatus.ACTIVE);
    Tenant lagging = stored("t100-lagging", TenantStatus.TRIAL);
    Set<TenantId> checked = ConcurrentHashMap.newKeySet();
    TenantHealthChecks checks = runner().parallelism(8).check(check("probe", t -> {
      checked.add(t.id());
      return t.id().equals(broken.id()) ? CheckResult.down("broken")
          : t.id().equals(lagging.id()) ? CheckResult.degraded("lagging") : CheckResult.up("fine");
    })).check(platformCheck("platform", CheckResult.up("fine"), tenants -> CheckResult.up("fine"))).build();

    PlatformVerification report = checks.verifyPlatform();

    assertThat(checked).hasSize(523).contains(purged.id());
    assertThat(report.tenants()).hasSize(523);
    assertThat(report.tenants().get(0).tenant()).isEqualTo(broken.id());
    assertThat(report.tenants().get(1).tenant()).isEqualTo(lagging.id());
    assertThat(report.counts()).isEqualTo(Map.of(HealthStatus.UP, 521, HealthStatus.DEGRADED, 1,
        HealthStatus.DOWN, 1));
    assertThat(report.status()).isEqualTo(HealthStatus.DOWN);
    assertThat(report.platform().checks()).containsOnlyKeys("platform");
    assertThat(report.tenant(purged.id()).orElseThrow().tenantStatus()).isEqualTo(TenantStatus.DELETED);
  }

  @Test
  void verifyPlatform_neverRunsMoreChecksAtOnceThanItsParallelism() throws Exception {
    for (int i = 0; i < 10; i++) {
      stored("tenant-" + i, TenantStatus.ACTIVE);
    }
    Semaphore gate = new Semaphore(0);
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger started = new AtomicInteger();
    AtomicInteger maxInFlight = new AtomicInteger();
    TenantHealthChecks checks = runner().parallelism(3).timeout(Duration.ofSeconds(20)).check(check("gated", t -> {
      maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      started.incrementAndGet();
      gate.acquireUninterruptibly();
      inFlight.decrementAndGet();
      return CheckResult.up("fine");
    })).build();
    AtomicReference<PlatformVerification> report = new AtomicReference<>();
    Thread caller = new Thread(() -> {
      try {
        report.set(checks.verifyPlatform());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    caller.start();

    for (int released = 0; released < 10; released++) {
      int expected = Math.min(10, 3 + released);
      await().atMost(Duration.ofSeconds(5)).until(() -> started.get() >= expected);
      gate.release();
    }
    caller.join(10_000);

    assertThat(report.get()).isNotNull();
    assertThat(report.get().counts()).containsEntry(HealthStatus.UP, 10);
    assertThat(maxInFlight.get()).isEqualTo(3);
  }

  @Test
  void verifyPlatform_interruptedCaller_throws_andInterruptsTheRunningChecks() throws Exception {
    stored("acme", TenantStatus.ACTIVE);
    CountDownLatch running = new CountDownLatch(1);
    AtomicBoolean checkInterrupted = new AtomicBoolean();
    TenantHealthChecks checks = runner().timeout(Duration.ofMinutes(1)).check(check("slow", t -> {
      running.countDown();
      try {
        new CountDownLatch(1).await();
      } catch (InterruptedException e) {
        checkInterrupted.set(true);
      }
      return CheckResult.up("fine");
    })).build();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread caller = new Thread(() -> {
      try {
        checks.verifyPlatform();
      } catch (Throwable e) {
        thrown.set(e);
      }
    });
    caller.start();
    running.await();

    caller.interrupt();
    caller.join(10_000);

    assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
    await().atMost(Duration.ofSeconds(5)).untilTrue(checkInterrupted);
  }

  @Test
  void check_unknownTenant_isNotFound() {
    TenantHealthChecks checks = runner().check(check("fine", t -> CheckResult.up("fine"))).build();

    assertThatThrownBy(() -> checks.check(TenantId.random())).isInstanceOf(TenantNotFoundException.class);
  }

  @Test
  void builder_refusesBadOrDuplicateNames_andNeedsTenantsAndAChecks() {
    TenantHealthCheck fine = check("fine", t -> CheckResult.up("fine"));
    assertThatThrownBy(() -> runner().check(check("Audit Chain", t -> CheckResult.up("x"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lower-case");
    assertThatThrownBy(() -> runner().check(fine).check(check("fine", t -> CheckResult.up("x"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unique");
    assertThatThrownBy(() -> runner().build()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("at least one check");
    assertThatThrownBy(() -> TenantHealthChecks.builder().check(fine).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("tenants");
    assertThatThrownBy(() -> runner().timeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> runner().parallelism(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> runner().parallelism(2).parallelism(3)).isInstanceOf(IllegalStateException.class);
  }
}
