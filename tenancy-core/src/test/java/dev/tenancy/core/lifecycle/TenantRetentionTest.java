package dev.tenancy.core.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenancy.core.SlugAlreadyTakenException;
import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.memory.InMemoryTenantStore;
import dev.tenancy.core.spi.ProvisioningRecord;
import dev.tenancy.core.spi.TenantEvent;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Cancelling keeps data for the retention period; purging erases it and leaves a tombstone. */
class TenantRetentionTest {

  private static final Instant START = Instant.parse("2026-01-10T10:00:00Z");
  private static final Duration RETENTION = Duration.ofDays(14);

  private final InMemoryTenantStore store = new InMemoryTenantStore();
  private final MutableClock clock = new MutableClock(START);
  private final List<String> log = Collections.synchronizedList(new ArrayList<>());
  private final List<RecordingStep> steps = RecordingStep.steps(3, log);
  private final List<TenantEvent> events = new CopyOnWriteArrayList<>();
  private final TenantService service = build(clock);

  private TenantService build(Clock time) {
    TenantService.Builder builder = LifecycleFixture.service(store).clock(time).retention(RETENTION)
        .listener(events::add);
    steps.forEach(builder::step);
    return builder.build();
  }

  @Test
  void delete_withoutPurge_cancelsWithPurgeAfterNowPlusRetention() {
    TenantService fixed = build(Clock.fixed(START, ZoneOffset.UTC));
    Tenant tenant = fixed.create(NewTenant.of("acme", "Acme"));
    log.clear();

    Tenant cancelled = fixed.delete(tenant.id(), false);

    assertThat(cancelled.status()).isEqualTo(TenantStatus.CANCELLED);
    assertThat(cancelled.purgeAfter()).isEqualTo(START.plus(RETENTION));
    assertThat(cancelled.status().isServing()).isFalse();
    assertThat(log).isEmpty();
    assertThat(events.get(events.size() - 1).type()).isEqualTo(TenantEvent.Type.STATUS_CHANGED);
  }

  @Test
  void update_toCancelled_setsPurgeAfterLikeDelete() {
    Tenant tenant = service.create(NewTenant.of("acme", "Acme"));
    clock.advance(Duration.ofHours(5));

    Tenant cancelled = service.update(tenant.id(), TenantUpdate.none().withStatus(TenantStatus.CANCELLED));

    assertThat(cancelled.purgeAfter()).isEqualTo(START.plus(Duration.ofHours(5)).plus(RETENTION));
  }

  @Test
  void purgeDue_purgesOnlyTenantsWhoseRetentionEnded() {
    Tenant early = service.create(NewTenant.of("early", "Early"));
    Tenant late = service.create(NewTenant.of("late", "Late"));
    Tenant serving = service.create(NewTenant.of("serving", "Serving"));
    service.delete(early.id(), false);
    clock.advance(Duration.ofDays(3));
    service.delete(late.id(), false);

    clock.advance(RETENTION.minusDays(3).minusSeconds(1));
    assertThat(service.purgeDue()).isZero();

    clock.advance(Duration.ofSeconds(1));
    assertThat(service.purgeDue()).isEqualTo(1);
    assertThat(service.find(early.id()).orElseThrow().status()).isEqualTo(TenantStatus.DELETED);
    assertThat(service.find(late.id()).orElseThrow().status()).isEqualTo(TenantStatus.CANCELLED);

    clock.advance(Duration.ofDays(3));
    assertThat(service.purgeDue()).isEqualTo(1);
    assertThat(service.find(late.id()).orElseThrow().status()).isEqualTo(TenantStatus.DELETED);
    assertThat(service.find(serving.id())).contains(serving);
  }

  @Test
  void delete_withPurge_deprovisionsInReverseAndLeavesTombstoneWhoseSlugStaysTaken() {
    Tenant tenant = service.create(NewTenant.of("acme", "Acme"));
    log.clear();
    events.clear();

    Tenant deleted = service.delete(tenant.id(), true);

    assertThat(log).containsExactly("-s2", "-s1", "-s0");
    assertThat(deleted.status()).isEqualTo(TenantStatus.DELETED);
    assertThat(deleted.purgeAfter()).isNull();
    assertThat(service.require("acme")).isEqualTo(deleted);
    assertThat(service.pendingProvisioning()).isEmpty();
    assertThat(events).extracting(TenantEvent::type)
        .containsExactly(TenantEvent.Type.STATUS_CHANGED, TenantEvent.Type.PURGED);
    assertThat(events.get(1).previous().status()).isEqualTo(TenantStatus.CANCELLED);
    assertThatThrownBy(() -> service.create(NewTenant.of("acme", "Acme again")))
        .isInstanceOf(SlugAlreadyTakenException.class);
  }

  @Test
  void delete_deletedTenant_returnsItUnchanged() {
    Tenant deleted = service.delete(service.create(NewTenant.of("acme", "Acme")).id(), true);
    log.clear();

    assertThat(service.delete(deleted.id(), true)).isEqualTo(deleted);
    assertThat(service.delete(deleted.id(), false)).isEqualTo(deleted);
    assertThat(log).isEmpty();
  }

  @Test
  void delete_purgeStepFails_keepsCancelledWithFailedJournalAndResumeFinishCompletes() {
    Tenant tenant = service.create(NewTenant.of("acme", "Acme"));
    steps.get(1).deprovisionFailure = new IOException("bucket locked");
    log.clear();

    assertThatThrownBy(() -> service.delete(tenant.id(), true))
        .isInstanceOf(ProvisioningFailedException.class).hasMessageContaining("resumeProvisioning");

    assertThat(service.find(tenant.id()).orElseThrow().status()).isEqualTo(TenantStatus.CANCELLED);
    ProvisioningRecord journal = service.pendingProvisioning().get(0);
    assertThat(journal.operation()).isEqualTo(ProvisioningRecord.Operation.DEPROVISION);
    assertThat(journal.state()).isEqualTo(ProvisioningRecord.State.FAILED);
    assertThat(journal.completedSteps()).containsExactly("s2");

    steps.get(1).deprovisionFailure = null;
    Tenant purged = service.resumeProvisioning(tenant.id(), TenantService.Resolution.FINISH).orElseThrow();

    assertThat(purged.status()).isEqualTo(TenantStatus.DELETED);
    assertThat(log).containsExactly("-s2", "-s1", "-s1", "-s0");
    assertThat(service.pendingProvisioning()).isEmpty();
  }
}
