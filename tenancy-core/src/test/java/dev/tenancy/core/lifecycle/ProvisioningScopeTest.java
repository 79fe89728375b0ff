package dev.tenancy.core.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantContext;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.memory.InMemoryTenantStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Steps run inside the tenant's scope, and the caller's thread holds no tenant afterwards. */
class ProvisioningScopeTest {

  private final InMemoryTenantStore store = new InMemoryTenantStore();
  private final List<String> log = Collections.synchronizedList(new ArrayList<>());
  private final List<RecordingStep> steps = RecordingStep.steps(3, log);

  private TenantService service() {
    TenantService.Builder builder = LifecycleFixture.service(store);
    steps.forEach(builder::step);
    return builder.build();
  }

  @Test
  void create_steps_seeTheNewTenantInScopeAndThreadIsClearedAfterwards() {
    Tenant tenant = service().create(NewTenant.of("acme", "Acme"));

    assertThat(tenant.status()).isEqualTo(TenantStatus.TRIAL);
    assertThat(tenant.version()).isEqualTo(1L);
    for (RecordingStep step : steps) {
      assertThat(step.tenantsInScope).containsExactly(tenant.id());
    }
    assertThat(TenantContext.current()).isEmpty();
  }

  @Test
  void create_failingStep_compensationAlsoRunsInScopeAndThreadIsClearedAfterwards() {
    steps.get(1).provisionFailure = new IOException("nope");
    TenantService service = service();

    assertThatThrownBy(() -> service.create(NewTenant.of("acme", "Acme")))
        .isInstanceOf(ProvisioningFailedException.class);

    List<TenantId> seen = new ArrayList<>(steps.get(0).tenantsInScope);
    seen.addAll(steps.get(1).tenantsInScope);
    assertThat(seen).hasSize(4).containsOnly(seen.get(0));
    assertThat(TenantContext.current()).isEmpty();
  }

  @Test
  void purge_steps_seeTheTenantInScopeAndRunInReverse() {
    TenantService service = service();
    Tenant tenant = service.create(NewTenant.of("acme", "Acme"));
    log.clear();

    service.delete(tenant.id(), true);

    assertThat(log).containsExactly("-s2", "-s1", "-s0");
    steps.forEach(step -> assertThat(step.tenantsInScope).containsOnly(tenant.id()));
    assertThat(TenantContext.current()).isEmpty();
  }
}
