package dev.tenancy.core.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantContext;
import dev.tenancy.core.TenantQuery;
import dev.tenancy.core.TenantSlug;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.memory.InMemoryTenantStore;
import dev.tenancy.core.spi.ProvisioningRecord;
import dev.tenancy.core.spi.TenantEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A provisioning step that fails leaves nothing behind, or — if undoing fails too — a tenant that never serves. */
class ProvisioningCompensationTest {

  private final InMemoryTenantStore store = new InMemoryTenantStore();
  private final List<String> log = Collections.synchronizedList(new ArrayList<>());
  private final List<RecordingStep> steps = RecordingStep.steps(4, log);
  private final List<TenantEvent> events = new CopyOnWriteArrayList<>();
  private final TenantService service = build();

  private TenantService build() {
    TenantService.Builder builder = LifecycleFixture.service(store).listener(events::add);
    steps.forEach(builder::step);
    return builder.build();
  }

  @ParameterizedTest(name = "step {0} fails")
  @ValueSource(ints = {0, 1, 2, 3})
  void create_stepFails_undoesFailedAndCompletedStepsInReverseAndLeavesNothing(int failing) {
    steps.get(failing).provisionFailure = new IOException("disk full");

    ProvisioningFailedException failure = catchThrowableOfType(ProvisioningFailedException.class,
        () -> service.create(NewTenant.of("acme", "Acme")));

    assertThat(failure).isNotNull();
    assertThat(failure.rolledBack()).isTrue();
    assertThat(failure.step()).isEqualTo("s" + failing);
    assertThat(failure.slug()).isEqualTo(TenantSlug.of("acme"));
    assertThat(failure).hasCauseInstanceOf(IOException.class).hasMessageContaining("nothing was left behind");
    List<String> expected = new ArrayList<>();
    for (int i = 0; i <= failing; i++) {
      expected.add("+s" + i);
    }
    for (int i = failing; i >= 0; i--) {
      expected.add("-s" + i);
    }
    assertThat(log).containsExactlyElementsOf(expected);
    assertThat(service.find(failure.tenantId())).isEmpty();
    assertThat(service.findBySlug(TenantSlug.of("acme"))).isEmpty();
    assertThat(service.list(TenantQuery.all()).items()).isEmpty();
    assertThat(service.pendingProvisioning()).isEmpty();
    assertThat(types()).doesNotContain(TenantEvent.Type.CREATED)
        .containsSubsequence(TenantEvent.Type.PROVISIONING_FAILED, TenantEvent.Type.PROVISIONING_ROLLED_BACK);
    assertThat(TenantContext.current()).isEmpty();

    steps.get(failing).provisionFailure = null;
    assertThat(service.create(NewTenant.of("acme", "Acme again")).status()).isEqualTo(TenantStatus.TRIAL);
  }

  @Test
  void create_compensationFails_tenantStaysProvisioningUntilResumedRollBack() {
    steps.get(2).provisionFailure = new IOException("quota exceeded");
    steps.get(1).deprovisionFailure = new IOException("schema locked");

    ProvisioningFailedException failure = catchThrowableOfType(ProvisioningFailedException.class,
        () -> service.create(NewTenant.of("acme", "Acme")));

    assertThat(failure.rolledBack()).isFalse();
    assertThat(failure.step()).isEqualTo("s2");
    assertThat(failure.getMessage()).contains("resumeProvisioning").contains("s1");
    Tenant stuck = service.find(failure.tenantId()).orElseThrow();
    assertThat(stuck.status()).isEqualTo(TenantStatus.PROVISIONING);
    assertThat(stuck.status().isServing()).isFalse();
    ProvisioningRecord journal = store.findProvisioningRecord(stuck.id()).orElseThrow();
    assertThat(journal.state()).isEqualTo(ProvisioningRecord.State.FAILED);
    assertThat(journal.lastError()).contains("s1").contains("schema locked");
    assertThat(service.pendingProvisioning()).containsExactly(journal);
    assertThat(types()).contains(TenantEvent.Type.PROVISIONING_FAILED).doesNotContain(TenantEvent.Type.CREATED,
        TenantEvent.Type.PROVISIONING_ROLLED_BACK);

    steps.get(1).deprovisionFailure = null;
    steps.get(2).provisionFailure = null;
    log.clear();
    assertThat(service.resumeProvisioning(stuck.id(), TenantService.Resolution.ROLL_BACK)).isEmpty();

    assertThat(log).containsExactly("-s2", "-s1", "-s0");
    assertThat(service.find(stuck.id())).isEmpty();
    assertThat(service.pendingProvisioning()).isEmpty();
    assertThat(types()).endsWith(TenantEvent.Type.PROVISIONING_ROLLED_BACK);
    assertThat(service.create(NewTenant.of("acme", "Acme")).slug()).isEqualTo(TenantSlug.of("acme"));
  }

  @Test
  void resumeFinish_afterFailedCompensation_runsEveryStepAgainAndServes() {
    steps.get(2).provisionFailure = new IOException("quota exceeded");
    steps.get(0).deprovisionFailure = new IOException("schema locked");
    ProvisioningFailedException failure = catchThrowableOfType(ProvisioningFailedException.class,
        () -> service.create(NewTenant.of("acme", "Acme")));
    steps.get(2).provisionFailure = null;
    log.clear();

    Tenant finished = service.resumeProvisioning(failure.tenantId(), TenantService.Resolution.FINISH).orElseThrow();

    // s0 and s1 were (partly) undone by the compensation, so finishing must provision them again.
    assertThat(log).containsExactly("+s0", "+s1", "+s2", "+s3");
    assertThat(finished.status().isServing()).isTrue();
    assertThat(service.pendingProvisioning()).isEmpty();
  }

  private List<TenantEvent.Type> types() {
    return events.stream().map(TenantEvent::type).collect(Collectors.toList());
  }
}
