package dev.tenancy.core.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantContext;
import dev.tenancy.core.TenantSlug;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.memory.InMemoryTenantStore;
import dev.tenancy.core.spi.ProvisioningRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A process that dies in the middle of provisioning (an {@link Error} thrown by step s2) leaves a journal that a new
 * service over the same store finishes or rolls back.
 */
class ProvisioningCrashRecoveryTest {

  private final InMemoryTenantStore store = new InMemoryTenantStore();
  private final List<String> log = Collections.synchronizedList(new ArrayList<>());
  private final List<RecordingStep> crashingSteps = RecordingStep.steps(4, log);
  private final List<RecordingStep> freshSteps = RecordingStep.steps(4, log);
  private Tenant crashed;

  @BeforeEach
  void crashDuringStepTwo() {
    crashingSteps.get(2).crashOnProvision = true;
    TenantService dying = service(crashingSteps);

    assertThatThrownBy(() -> dying.create(NewTenant.of("acme", "Acme").withInitialStatus(TenantStatus.ACTIVE)))
        .isInstanceOf(RecordingStep.SimulatedCrash.class);

    assertThat(log).containsExactly("+s0", "+s1", "+s2");
    assertThat(TenantContext.current()).isEmpty();
    crashed = store.findBySlug(TenantSlug.of("acme")).orElseThrow();
  }

  private TenantService service(List<RecordingStep> steps) {
    TenantService.Builder builder = LifecycleFixture.service(store);
    steps.forEach(builder::step);
    return builder.build();
  }

  @Test
  void create_errorInStep_compensatesNothingAndLeavesRunningJournal() {
    assertThat(crashed.status()).isEqualTo(TenantStatus.PROVISIONING);
    assertThat(crashed.status().isServing()).isFalse();

    List<ProvisioningRecord> pending = service(freshSteps).pendingProvisioning();

    assertThat(pending).singleElement().satisfies(journal -> {
      assertThat(journal.tenantId()).isEqualTo(crashed.id());
      assertThat(journal.operation()).isEqualTo(ProvisioningRecord.Operation.PROVISION);
      assertThat(journal.state()).isEqualTo(ProvisioningRecord.State.RUNNING);
      assertThat(journal.completedSteps()).containsExactly("s0", "s1");
      assertThat(journal.targetStatus()).isEqualTo(TenantStatus.ACTIVE);
    });
  }

  @Test
  void resumeFinish_onNewService_runsOnlyTheUnfinishedStepsAndServes() {
    Tenant finished = service(freshSteps).resumeProvisioning(crashed.id(), TenantService.Resolution.FINISH)
        .orElseThrow();

    assertThat(finished.status()).as("the status asked for at create time, kept in the journal")
        .isEqualTo(TenantStatus.ACTIVE);
    assertThat(finished.id()).isEqualTo(crashed.id());
    assertThat(store.findById(crashed.id())).contains(finished);
    assertThat(store.listProvisioningRecords()).isEmpty();
    // Each step ran once in all, except s2 which was interrupted and runs once more.
    assertThat(log).containsExactly("+s0", "+s1", "+s2", "+s2", "+s3");
    assertThat(freshSteps.get(2).tenantsInScope).containsOnly(crashed.id());
  }

  @Test
  void resumeRollBack_onNewService_undoesInterruptedAndCompletedStepsAndRemovesTenant() {
    log.clear();

    assertThat(service(freshSteps).resumeProvisioning(crashed.id(), TenantService.Resolution.ROLL_BACK)).isEmpty();

    assertThat(log).containsExactly("-s2", "-s1", "-s0");
    assertThat(store.findById(crashed.id())).isEmpty();
    assertThat(store.findBySlug(TenantSlug.of("acme"))).isEmpty();
    assertThat(store.listProvisioningRecords()).isEmpty();
  }

  @Test
  void delete_provisioningTenant_rollsItsProvisioningBack() {
    log.clear();

    service(freshSteps).delete(crashed.id(), false);

    assertThat(log).containsExactly("-s2", "-s1", "-s0");
    assertThat(store.findById(crashed.id())).isEmpty();
    assertThat(store.listProvisioningRecords()).isEmpty();
  }

  @Test
  void resume_serviceWithoutTheJournaledSteps_refusesBeforeRunningAnything() {
    log.clear();
    TenantService other = service(RecordingStep.steps(1, log));

    assertThatThrownBy(() -> other.resumeProvisioning(crashed.id(), TenantService.Resolution.ROLL_BACK))
        .hasMessageContaining("s1");
    assertThat(log).isEmpty();
    assertThat(store.findById(crashed.id())).isPresent();
  }
}
