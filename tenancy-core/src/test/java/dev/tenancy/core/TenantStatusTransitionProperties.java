package dev.tenancy.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.tenancy.core.lifecycle.LifecycleFixture;
import dev.tenancy.core.lifecycle.TenantService;
import dev.tenancy.core.memory.InMemoryTenantStore;
import java.time.Instant;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;

/**
 * Every (from, to) pair of statuses, checked against the transition table: on the record itself, and through the
 * service on a stored tenant. A refused change must leave the tenant exactly as it was.
 */
class TenantStatusTransitionProperties {

  private static final Instant LATER = Instant.parse("2030-01-01T00:00:00Z");

  @Property(generation = GenerationMode.EXHAUSTIVE)
  void withStatus_succeedsIffTableAllows(@ForAll TenantStatus from, @ForAll TenantStatus to) {
    Tenant tenant = new Tenant(TenantId.random(), TenantSlug.of("acme"), "Acme", from,
        TenantConfiguration.ofTier("free"), Instant.EPOCH, Instant.EPOCH, 3L, null);
    Tenant copy = tenant.withVersion(3L);

    Throwable thrown = catchThrowable(() -> assertThat(tenant.withStatus(to, LATER).status()).isEqualTo(to));

    if (from.allowedTransitions().contains(to)) {
      assertThat(thrown).isNull();
    } else {
      assertThat(thrown).isInstanceOfSatisfying(IllegalTenantTransitionException.class, e -> {
        assertThat(e.from()).isEqualTo(from);
        assertThat(e.to()).isEqualTo(to);
        assertThat(e.tenantId()).isEqualTo(tenant.id());
      });
    }
    assertThat(tenant).isEqualTo(copy);
  }

  /**
   * Through the service the table decides too. Two lifecycle moves are not plain status changes and are refused
   * even where the table allows them: leaving {@code PROVISIONING} (only provisioning itself does that) and entering
   * {@code DELETED} (only a purge does that).
   */
  @Property(generation = GenerationMode.EXHAUSTIVE)
  void changeStatus_succeedsIffTableAllowsAndLeavesTenantUnchangedOtherwise(
      @ForAll TenantStatus from, @ForAll TenantStatus to) {
    InMemoryTenantStore store = new InMemoryTenantStore();
    TenantService service = LifecycleFixture.service(store).build();
    Tenant before = LifecycleFixture.tenantIn(service, store, from, "acme");
    boolean tableAllows = from.allowedTransitions().contains(to);
    boolean lifecycleMove = from == TenantStatus.PROVISIONING || to == TenantStatus.DELETED;

    Throwable thrown = catchThrowable(() -> service.changeStatus(before.id(), to));

    Tenant after = store.findById(before.id()).orElseThrow();
    if (tableAllows && !lifecycleMove) {
      assertThat(thrown).isNull();
      assertThat(after.status()).isEqualTo(to);
      assertThat(after.version()).isEqualTo(before.version() + 1);
      return;
    }
    if (!tableAllows) {
      assertThat(thrown).isInstanceOfSatisfying(IllegalTenantTransitionException.class, e -> {
        assertThat(e.from()).isEqualTo(from);
        assertThat(e.to()).isEqualTo(to);
      });
    } else {
      assertThat(thrown).isInstanceOfAny(TenantValidationException.class, TenantConflictException.class);
    }
    assertThat(after).isEqualTo(before);
  }
}
