package dev.tenancy.core.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenancy.core.IllegalTenantTransitionException;
import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantConflictException;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.memory.InMemoryTenantStore;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The transitions that would hurt most if they slipped through: a cancelled tenant serving again, a purged tenant
 * coming back, a suspended tenant re-running provisioning. Each is refused on the record and through the service.
 */
class DangerousTransitionTest {

  static Stream<Arguments> dangerous() {
    Stream<Arguments> named = Stream.of(
        Arguments.of(TenantStatus.CANCELLED, TenantStatus.ACTIVE),
        Arguments.of(TenantStatus.CANCELLED, TenantStatus.TRIAL),
        Arguments.of(TenantStatus.SUSPENDED, TenantStatus.PROVISIONING));
    Stream<Arguments> fromDeleted = Stream.of(TenantStatus.values())
        .map(target -> Arguments.of(TenantStatus.DELETED, target));
    return Stream.concat(named, fromDeleted);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("dangerous")
  void changeStatus_dangerousTransition_isRefusedAndTenantUnchanged(TenantStatus from, TenantStatus to) {
    InMemoryTenantStore store = new InMemoryTenantStore();
    TenantService service = LifecycleFixture.service(store).build();
    Tenant before = LifecycleFixture.tenantIn(service, store, from, "acme");

    assertThatThrownBy(() -> before.withStatus(to, Instant.now()))
        .isInstanceOf(IllegalTenantTransitionException.class);
    assertThatThrownBy(() -> service.changeStatus(before.id(), to))
        .isInstanceOf(IllegalTenantTransitionException.class)
        .hasMessageContaining(from.name()).hasMessageContaining(to.name());
    assertThatThrownBy(() -> service.update(before.id(), TenantUpdate.none().withStatus(to)))
        .isInstanceOf(TenantConflictException.class);

    assertThat(store.findById(before.id())).contains(before);
    assertThat(store.findById(before.id()).orElseThrow().status().isServing()).isFalse();
  }
}
