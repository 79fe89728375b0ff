package dev.tenancy.core.audit;

import static dev.tenancy.core.audit.AuditFixtures.KEY;
import static dev.tenancy.core.audit.AuditFixtures.T0;
import static dev.tenancy.core.audit.AuditFixtures.stored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantContext;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.TenantSlug;
import dev.tenancy.core.lifecycle.LifecycleFixture;
import dev.tenancy.core.lifecycle.NewTenant;
import dev.tenancy.core.lifecycle.TenantService;
import dev.tenancy.core.lifecycle.TenantUpdate;
import dev.tenancy.core.memory.InMemoryAuditCheckpointStore;
import dev.tenancy.core.memory.InMemoryAuditSink;
import dev.tenancy.core.memory.InMemoryTenantStore;
import dev.tenancy.core.quota.QuotaAlert;
import dev.tenancy.core.quota.QuotaResource;
import dev.tenancy.core.spi.ProvisioningStep;
import java.time.YearMonth;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the ready-made listeners record, wired the way a user wires them. */
class AuditEmittersTest {

  private final InMemoryAuditSink sink = new InMemoryAuditSink();
  private final InMemoryAuditCheckpointStore checkpoints = new InMemoryAuditCheckpointStore();
  private final AuditLog log = AuditLog.builder().sink(sink).key(KEY).checkpoints(checkpoints).build();

  @AfterEach
  void close() {
    log.close();
  }

  @Test
  void lifecycleListener_recordsEveryChangeInTheTenantsChain_andErasesItOnPurge() {
    TenantService tenants = LifecycleFixture.service(new InMemoryTenantStore())
        .step(new NamedStep("schema"))
        .listener(log.lifecycleListener())
        .build();

    Tenant acme = tenants.create(NewTenant.of("acme", "Acme"));
    tenants.update(acme.id(), TenantUpdate.none().withDisplayName("Acme Inc").withTier("pro"));
    tenants.suspend(acme.id());
    tenants.delete(acme.id(), false);
    log.flush();

    String chain = acme.id().toString();
    assertThat(stored(sink, chain)).extracting(record -> record.event().action()).containsExactly(
        "tenant.provisioning_step_completed", "tenant.created", "tenant.updated", "tenant.status_changed",
        "tenant.deleted");
    assertThat(stored(sink, chain)).allSatisfy(record -> {
      assertThat(record.event().tenant()).isEqualTo(acme.id());
      assertThat(record.event().resource()).isEqualTo("tenant/" + acme.id());
      assertThat(record.event().details()).containsEntry("slug", "acme");
    });
    assertThat(stored(sink, chain).get(0).event().details()).containsEntry("step", "schema");
    AuditEvent updated = stored(sink, chain).get(2).event();
    assertThat(updated.category()).isEqualTo(AuditCategory.CONFIGURATION);
    assertThat(updated.details()).containsEntry("changed", "displayName,configuration")
        .containsEntry("previousTier", "free").containsEntry("tier", "pro");
    assertThat(stored(sink, chain).get(3).event().details()).containsEntry("from", "TRIAL").containsEntry("to",
        "SUSPENDED");
    assertThat(stored(sink, chain).get(4).event().details()).containsEntry("from", "SUSPENDED")
        .containsEntry("to", "CANCELLED").containsKey("purgeAfter");

    tenants.delete(acme.id(), true);
    log.flush();

    assertThat(sink.chains()).doesNotContain(chain);
    assertThat(stored(sink, AuditRecord.PLATFORM_CHAIN)).extracting(record -> record.event().action())
        .containsExactly("tenant.purged", "audit.erased");
    assertThat(stored(sink, AuditRecord.PLATFORM_CHAIN).get(0).event().details())
        .containsEntry("tenant", chain).containsEntry("slug", "acme");
    assertThat(stored(sink, AuditRecord.PLATFORM_CHAIN).get(1).event().details()).containsEntry("records", "5");
    assertThat(AuditVerifier.builder().key(KEY).checkpoints(checkpoints).build()
        .verify(sink, AuditRecord.PLATFORM_CHAIN).isIntact()).isTrue();
  }

  @Test
  void lifecycleListener_underPlatformAccess_namesTheOperatorAndTheReason() throws Exception {
    TenantService tenants = LifecycleFixture.service(new InMemoryTenantStore())
        .listener(log.lifecycleListener())
        .build();

    Tenant tenant = TenantContext.asPlatform("ops@platform", "ticket 4711",
        () -> tenants.create(NewTenant.of("globex", "Globex")));
    log.flush();

    assertThat(stored(sink, tenant.id().toString())).singleElement().satisfies(record -> {
      assertThat(record.event().actorType()).isEqualTo(AuditActorType.PLATFORM_OPERATOR);
      assertThat(record.event().actor()).isEqualTo("ops@platform");
      assertThat(record.event().details()).containsEntry("reason", "ticket 4711");
    });
  }

  @Test
  void platformAccessListener_recordsEveryAccess_andRefusesItOnceTheLogIsClosed() throws Exception {
    TenantInfo acme = TenantInfo.of(TenantId.random(), TenantSlug.of("acme"));
    try (AutoCloseable registration = TenantContext.addPlatformAccessListener(log.platformAccessListener())) {
      TenantContext.asPlatform("ops@platform", "monthly billing run", () -> null);
      TenantContext.asPlatform("support@platform", "ticket 42", acme, () -> null);
      log.flush();

      assertThat(stored(sink, AuditRecord.PLATFORM_CHAIN)).singleElement().satisfies(record -> {
        assertThat(record.event().category()).isEqualTo(AuditCategory.PLATFORM_ACCESS);
        assertThat(record.event().action()).isEqualTo("platform.access");
        assertThat(record.event().actor()).isEqualTo("ops@platform");
        assertThat(record.event().details()).containsEntry("reason", "monthly billing run")
            .containsEntry("scope", "all_tenants");
      });
      assertThat(stored(sink, acme.id().toString())).singleElement().satisfies(record -> {
        assertThat(record.event().tenant()).isEqualTo(acme.id());
        assertThat(record.event().actorType()).isEqualTo(AuditActorType.PLATFORM_OPERATOR);
        assertThat(record.event().details()).containsEntry("reason", "ticket 42");
      });

      log.close();
      AtomicBoolean ran = new AtomicBoolean();
      assertThatThrownBy(() -> TenantContext.asPlatform("ops@platform", "after shutdown", () -> ran.getAndSet(true)))
          .isInstanceOf(IllegalStateException.class);
      assertThat(ran).isFalse();
    }
  }

  @Test
  void quotaAlertListener_recordsThresholdsAndDenials() {
    TenantId tenant = TenantId.random();
    TenantSlug slug = TenantSlug.of("acme");

    log.quotaAlertListener().onAlert(new QuotaAlert(tenant, slug, QuotaResource.API_CALLS, 80, 800, 1000,
        YearMonth.of(2026, 3), T0));
    log.quotaAlertListener().onAlert(new QuotaAlert(tenant, slug, QuotaResource.RATE_LIMIT, 100, 51, 50,
        YearMonth.of(2026, 3), T0.plusSeconds(1)));
    log.flush();

    assertThat(stored(sink, tenant.toString())).extracting(record -> record.event()).satisfiesExactly(
        crossed -> {
          assertThat(crossed.category()).isEqualTo(AuditCategory.QUOTA);
          assertThat(crossed.action()).isEqualTo("quota.threshold_crossed");
          assertThat(crossed.outcome()).isEqualTo(AuditOutcome.SUCCESS);
          assertThat(crossed.timestamp()).isEqualTo(T0);
          assertThat(crossed.details()).containsEntry("resource", "api_calls").containsEntry("thresholdPercent", "80")
              .containsEntry("used", "800").containsEntry("limit", "1000").containsEntry("period", "2026-03");
        },
        denied -> {
          assertThat(denied.action()).isEqualTo("quota.exceeded");
          assertThat(denied.outcome()).isEqualTo(AuditOutcome.DENIED);
          assertThat(denied.resource()).isEqualTo("quota/rate_limit");
        });
  }

  /** A provisioning step that does nothing but has a name. */
  private record NamedStep(String name) implements ProvisioningStep {
    @Override
    public void provision(Tenant tenant) {
    }

    @Override
    public void deprovision(Tenant tenant) {
    }
  }
}
