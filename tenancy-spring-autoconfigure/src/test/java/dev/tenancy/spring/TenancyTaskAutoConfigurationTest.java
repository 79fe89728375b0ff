package dev.tenancy.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tenancy.core.PlatformAccess;
import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantContext;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.TenantSlug;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.lifecycle.NewTenant;
import dev.tenancy.core.lifecycle.TenantService;
import dev.tenancy.core.task.TenantRunReport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

class TenancyTaskAutoConfigurationTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(TenancyAutoConfiguration.class, TenancyTaskAutoConfiguration.class,
          TaskExecutionAutoConfiguration.class, TaskSchedulingAutoConfiguration.class));

  private static final TenantInfo ACME = TenantInfo.of(TenantId.of(UUID.randomUUID()), TenantSlug.of("acme"));

  @Test
  void forEachActiveTenant_mixedStatuses_runsEachServingTenantOnceInItsOwnScope() {
    runner.withPropertyValues("tenancy.jobs.parallelism=3").run(context -> {
      TenantService tenants = context.getBean(TenantService.class);
      Tenant trial = tenants.create(NewTenant.of("trial", "Trial"));
      Tenant active = tenants.activate(tenants.create(NewTenant.of("active", "Active")).id());
      Tenant suspended = tenants.suspend(tenants.create(NewTenant.of("suspended", "Suspended")).id());
      Tenant cancelled = tenants.changeStatus(tenants.create(NewTenant.of("cancelled", "Cancelled")).id(),
          TenantStatus.CANCELLED);
      assertThat(trial.status()).isEqualTo(TenantStatus.TRIAL);
      assertThat(active.status()).isEqualTo(TenantStatus.ACTIVE);

      Map<TenantId, AtomicInteger> runs = new ConcurrentHashMap<>();
      List<String> mismatches = new CopyOnWriteArrayList<>();
      TenantRunReport report = context.getBean(TenantJobs.class).forEachActiveTenant("roll-up", tenant -> {
        runs.computeIfAbsent(tenant.id(), id -> new AtomicInteger()).incrementAndGet();
        // The job's tenant is the one in scope, and the listing's platform scope did not leak into the job.
        if (!TenantContext.require().id().equals(tenant.id()) || TenantContext.isPlatform()) {
          mismatches.add(tenant.slug().value());
        }
      });

      assertThat(mismatches).isEmpty();
      assertThat(runs).containsOnlyKeys(trial.id(), active.id());
      assertThat(runs.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
      assertThat(report.succeeded()).containsExactlyInAnyOrder(trial.id(), active.id());
      assertThat(report.failed()).isEmpty();
      assertThat(runs).doesNotContainKeys(suspended.id(), cancelled.id());
      assertThat(TenantContext.current()).isEmpty();
    });
  }

  @Test
  void forEachActiveTenant_oneTenantThrows_othersStillRunAndTheFailureIsReported() {
    runner.run(context -> {
      TenantService tenants = context.getBean(TenantService.class);
      Tenant good = tenants.create(NewTenant.of("good", "Good"));
      Tenant bad = tenants.create(NewTenant.of("bad", "Bad"));
      Tenant alsoGood = tenants.create(NewTenant.of("also-good", "Also good"));
      IllegalStateException boom = new IllegalStateException("boom");

      TenantRunReport report = context.getBean(TenantJobs.class).forEachActiveTenant("digest", tenant -> {
        if (tenant.id().equals(bad.id())) {
          throw boom;
        }
      });

      assertThat(report.succeeded()).containsExactlyInAnyOrder(good.id(), alsoGood.id());
      assertThat(report.failed()).containsOnlyKeys(bad.id());
      assertThat(report.failed().get(bad.id())).isSameAs(boom);
      assertThatThrownBy(report::throwIfAnyFailed).hasMessageContaining(bad.id().toString());
    });
  }

  @Test
  void forEachActiveTenant_listsTheTenantsAsThePlatformNamingTheJob() throws Exception {
    runner.run(context -> {
      context.getBean(TenantService.class).create(NewTenant.of("acme", "Acme"));
      List<PlatformAccess> seen = new CopyOnWriteArrayList<>();
      try (AutoCloseable ignored = TenantContext.addPlatformAccessListener(seen::add)) {
        context.getBean(TenantJobs.class).forEachActiveTenant("nightly-digest", tenant -> { });
      }
      assertThat(seen).singleElement().satisfies(access -> {
        assertThat(access.reason()).isEqualTo("scheduled job nightly-digest");
        assertThat(access.actor()).isEqualTo(TenantJobs.ACTOR);
        assertThat(access.findTenant()).isEmpty();
      });
    });
  }

  @Test
  void parallelismBelowOne_failsStartUpNamingTheProperty() {
    runner.withPropertyValues("tenancy.jobs.parallelism=0").run(context ->
        assertThat(context).getFailure().rootCause().hasMessageContaining("tenancy.jobs.parallelism"));
  }

  @Test
  void ownTenantJobsBean_replacesTheAutoConfiguredOne() {
    runner.withUserConfiguration(OwnJobs.class).run(context ->
        assertThat(context.getBean(TenantJobs.class)).isSameAs(OwnJobs.jobs));
  }

  @Test
  void asyncMethod_calledInsideATenantScope_runsInThatScope() {
    runner.withUserConfiguration(AsyncConfig.class).run(context -> {
      AsyncService service = context.getBean(AsyncService.class);
      CompletableFuture<Optional<TenantInfo>> inside = TenantContext.get(ACME, service::currentTenant);
      CompletableFuture<Optional<TenantInfo>> outside = service.currentTenant();

      assertThat(inside.get(10, TimeUnit.SECONDS)).contains(ACME);
      assertThat(outside.get(10, TimeUnit.SECONDS)).isEmpty();
    });
  }

  @Test
  void bootsTaskScheduler_taskScheduledInsideATenantScope_runsInThatScope() {
    runner.withUserConfiguration(SchedulingConfig.class).run(context -> {
      // Boot 4 hands the TaskDecorator bean to the scheduler it builds; this proves it rather than trusting it.
      TaskScheduler scheduler = context.getBean(TaskScheduler.class);
      assertThat(scheduler).isInstanceOf(ThreadPoolTaskScheduler.class);
      AtomicReference<Optional<TenantInfo>> once = new AtomicReference<>();
      CountDownLatch ran = new CountDownLatch(1);
      TenantContext.run(ACME, () -> scheduler.schedule(() -> {
        once.set(TenantContext.current());
        ran.countDown();
      }, Instant.now()));
      assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(once.get()).contains(ACME);

      // Each run of a periodic task too, and the scheduler's thread holds nothing afterwards.
      List<Optional<TenantInfo>> periodic = new CopyOnWriteArrayList<>();
      ScheduledFuture<?> future = TenantContext.get(ACME, () -> scheduler.scheduleAtFixedRate(
          () -> periodic.add(TenantContext.current()), Duration.ofMillis(10)));
      await().atMost(Duration.ofSeconds(10)).until(() -> periodic.size() >= 3);
      future.cancel(false);
      assertThat(periodic).allSatisfy(seen -> assertThat(seen).contains(ACME));
      AtomicReference<Optional<TenantInfo>> after = new AtomicReference<>();
      CountDownLatch unscoped = new CountDownLatch(1);
      scheduler.schedule(() -> {
        after.set(TenantContext.current());
        unscoped.countDown();
      }, Instant.now());
      assertThat(unscoped.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(after.get()).isEmpty();
    });
  }

  @Test
  void scheduledMethod_callingTenantJobs_reachesEveryServingTenant() {
    runner.withUserConfiguration(SchedulingConfig.class).run(context -> {
      TenantService tenants = context.getBean(TenantService.class);
      Tenant one = tenants.create(NewTenant.of("one", "One"));
      Tenant two = tenants.create(NewTenant.of("two", "Two"));
      ScheduledJob job = context.getBean(ScheduledJob.class);
      await().atMost(Duration.ofSeconds(10)).until(() -> job.seen.containsAll(Set.of(one.id(), two.id())));
    });
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnJobs {
    static TenantJobs jobs;

    @Bean
    TenantJobs myJobs(TenantService tenants) {
      jobs = new TenantJobs(tenants, 2);
      return jobs;
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAsync
  static class AsyncConfig {
    @Bean
    AsyncService asyncService() {
      return new AsyncService();
    }
  }

  static class AsyncService {
    @Async
    public CompletableFuture<Optional<TenantInfo>> currentTenant() {
      return CompletableFuture.completedFuture(TenantContext.current());
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableScheduling
  static class SchedulingConfig {
    @Bean
    ScheduledJob scheduledJob(TenantJobs jobs) {
      return new ScheduledJob(jobs);
    }
  }

  static class ScheduledJob {
    final Set<TenantId> seen = ConcurrentHashMap.newKeySet();
    private final TenantJobs jobs;

    ScheduledJob(TenantJobs jobs) {
      this.jobs = jobs;
    }

    @Scheduled(fixedDelay = 20)
    public void everyTenant() {
      jobs.forEachActiveTenant("test-job", tenant -> seen.add(TenantContext.require().id()));
    }
  }
}
