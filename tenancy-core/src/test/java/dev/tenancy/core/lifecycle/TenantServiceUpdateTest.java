package dev.tenancy.core.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tenancy.core.ConcurrentTenantModificationException;
import dev.tenancy.core.IllegalTenantTransitionException;
import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantContext;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantNotFoundException;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.TenantValidationException;
import dev.tenancy.core.memory.InMemoryTenantStore;
import dev.tenancy.core.spi.TenantEvent;
import dev.tenancy.core.spi.TenantStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TenantServiceUpdateTest {

  private final InMemoryTenantStore store = new InMemoryTenantStore();
  private final List<TenantEvent> events = new CopyOnWriteArrayList<>();
  private final TenantService service = LifecycleFixture.service(store).listener(events::add).build();

  @Test
  void update_sameExpectedVersionFromTwoThreads_exactlyOneWins() throws Exception {
    Tenant tenant = service.create(NewTenant.of("acme", "Acme"));
    CyclicBarrier barrier = new CyclicBarrier(2);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<Tenant>> results = new ArrayList<>();
      for (String name : List.of("Acme One", "Acme Two")) {
        results.add(pool.submit(() -> {
          barrier.await(10, TimeUnit.SECONDS);
          return service.update(tenant.id(),
              TenantUpdate.none().withDisplayName(name).expectingVersion(tenant.version()));
        }));
      }
      List<Tenant> winners = new ArrayList<>();
      List<Throwable> losers = new ArrayList<>();
      for (Future<Tenant> result : results) {
        try {
          winners.add(result.get(10, TimeUnit.SECONDS));
        } catch (java.util.concurrent.ExecutionException e) {
          losers.add(e.getCause());
        }
      }
      assertThat(winners).hasSize(1);
      assertThat(losers).singleElement().isInstanceOf(ConcurrentTenantModificationException.class);
      assertThat(service.find(tenant.id())).contains(winners.get(0));
      assertThat(winners.get(0).version()).isEqualTo(tenant.version() + 1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void update_staleExpectedVersion_throwsWithBothVersionsAndChangesNothing() {
    Tenant tenant = service.create(NewTenant.of("acme", "Acme"));
    service.update(tenant.id(), TenantUpdate.none().withDisplayName("Acme 2"));

    ConcurrentTenantModificationException failure = catchThrowableOfType(
        ConcurrentTenantModificationException.class, () -> service.update(tenant.id(),
            TenantUpdate.none().withDisplayName("Acme 3").expectingVersion(tenant.version())));

    assertThat(failure.expectedVersion()).isEqualTo(tenant.version());
    assertThat(failure.actualVersion()).isEqualTo(tenant.version() + 1);
    assertThat(service.find(tenant.id()).orElseThrow().displayName()).isEqualTo("Acme 2");
  }

  @Test
  void update_withoutExpectedVersion_retriesWhenAnotherWriterGetsInBetween() {
    Tenant tenant = service.create(NewTenant.of("acme", "Acme"));
    // A store whose first update loses a race against another writer, as happens under load.
    InMemoryTenantStore backing = new InMemoryTenantStore();
    backing.insert(tenant);
    AtomicBoolean raced = new AtomicBoolean();
    TenantStore racing = (TenantStore) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {TenantStore.class}, (proxy, method, args) -> {
          if (method.getName().equals("update") && raced.compareAndSet(false, true)) {
            Tenant current = backing.findById(tenant.id()).orElseThrow();
            backing.update(current.withDisplayName("Someone Else", current.updatedAt()));
          }
          try {
            return method.invoke(backing, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
    TenantService retrying = LifecycleFixture.service(racing).build();

    Tenant updated = retrying.update(tenant.id(), TenantUpdate.none().withTier("pro"));

    assertThat(updated.tier()).isEqualTo("pro");
    assertThat(updated.displayName()).isEqualTo("Someone Else");
    assertThat(updated.version()).isEqualTo(tenant.version() + 2);
  }

  @Test
  void update_configuration_replacesOverridesAndSendsUpdatedWithPrevious() {
    Tenant tenant = service.create(NewTenant.of("acme", "Acme").withLimits(Map.of("concurrentUsers", 10L))
        .withApiVersion("v1"));
    events.clear();

    Tenant updated = service.update(tenant.id(), TenantUpdate.none().withTier("pro")
        .withFeatureFlags(Map.of("sso", true)).withLimits(Map.of("storageBytes", 5L)).withApiVersion(""));

    assertThat(updated.configuration().limits()).containsExactly(Map.entry("storageBytes", 5L));
    assertThat(updated.configuration().featureFlags()).containsExactly(Map.entry("sso", true));
    assertThat(updated.configuration().apiVersion()).isNull();
    assertThat(updated.tier()).isEqualTo("pro");
    assertThat(events).singleElement().satisfies(event -> {
      assertThat(event.type()).isEqualTo(TenantEvent.Type.UPDATED);
      assertThat(event.previous()).isEqualTo(tenant);
      assertThat(event.tenant()).isEqualTo(updated);
    });
  }

  @Test
  void update_nothingChanges_keepsVersionAndSendsNothing() {
    Tenant tenant = service.create(NewTenant.of("acme", "Acme"));
    events.clear();

    Tenant same = service.update(tenant.id(), TenantUpdate.none().withDisplayName("Acme").withTier("free")
        .withStatus(TenantStatus.TRIAL));

    assertThat(same).isEqualTo(tenant);
    assertThat(events).isEmpty();
  }

  @Test
  void update_statusAndName_sendsUpdatedAndStatusChanged() {
    Tenant tenant = service.create(NewTenant.of("acme", "Acme"));
    events.clear();

    service.update(tenant.id(), TenantUpdate.none().withDisplayName("Acme Ltd").withStatus(TenantStatus.SUSPENDED));

    assertThat(events).extracting(TenantEvent::type)
        .containsExactly(TenantEvent.Type.UPDATED, TenantEvent.Type.STATUS_CHANGED);
    assertThat(events.get(1).previous().status()).isEqualTo(TenantStatus.TRIAL);
    assertThat(events.get(1).tenant().status()).isEqualTo(TenantStatus.SUSPENDED);
  }

  @Test
  void update_toProvisioningOrDeleted_isRefusedPointingToCreateOrDelete() {
    Tenant cancelled = service.delete(service.create(NewTenant.of("acme", "Acme")).id(), false);

    TenantValidationException failure = catchThrowableOfType(TenantValidationException.class,
        () -> service.update(cancelled.id(), TenantUpdate.none().withStatus(TenantStatus.DELETED)));

    assertThat(failure.field()).isEqualTo("status");
    assertThat(failure).hasMessageContaining("delete");
    assertThat(service.find(cancelled.id())).contains(cancelled);
  }

  @Test
  void update_invalidFieldOrUnknownTenant_throwsTypedExceptions() {
    Tenant tenant = service.create(NewTenant.of("acme", "Acme"));

    assertThat(catchThrowableOfType(TenantValidationException.class,
        () -> service.update(tenant.id(), TenantUpdate.none().withTier("gold"))).field()).isEqualTo("tier");
    assertThat(catchThrowableOfType(TenantValidationException.class,
        () -> service.update(tenant.id(), TenantUpdate.none().withDisplayName(""))).field())
        .isEqualTo("displayName");
    assertThatThrownBy(() -> service.update(TenantId.random(), TenantUpdate.none().withDisplayName("X")))
        .isInstanceOf(TenantNotFoundException.class);
    assertThat(service.find(tenant.id())).contains(tenant);
  }

  @Test
  void suspendAndActivate_followTheTable() {
    Tenant tenant = service.create(NewTenant.of("acme", "Acme"));

    assertThat(service.suspend(tenant.id()).status()).isEqualTo(TenantStatus.SUSPENDED);
    assertThatThrownBy(() -> service.suspend(tenant.id())).isInstanceOf(IllegalTenantTransitionException.class);
    assertThat(service.activate(tenant.id()).status()).isEqualTo(TenantStatus.ACTIVE);
  }

  @Test
  void create_throwingListener_isIgnoredAndLaterListenersStillHear() {
    List<TenantEvent> heard = new CopyOnWriteArrayList<>();
    TenantService withBadListener = LifecycleFixture.service(new InMemoryTenantStore())
        .listener(event -> {
          throw new IllegalStateException("listener bug");
        })
        .listener(heard::add)
        .build();

    Tenant tenant = withBadListener.create(NewTenant.of("acme", "Acme"));

    assertThat(tenant.status()).isEqualTo(TenantStatus.TRIAL);
    assertThat(withBadListener.find(tenant.id())).contains(tenant);
    assertThat(heard).extracting(TenantEvent::type).containsExactly(TenantEvent.Type.CREATED);
  }

  @Test
  void events_insidePlatformScope_carryThePlatformAccess() throws Exception {
    Tenant tenant = TenantContext.asPlatform("ops@example.com", "onboarding ticket 42",
        () -> service.create(NewTenant.of("acme", "Acme")));
    TenantContext.asPlatform("ops@example.com", "unpaid invoice", () -> service.suspend(tenant.id()));
    service.activate(tenant.id());

    assertThat(events).extracting(TenantEvent::type).containsExactly(TenantEvent.Type.CREATED,
        TenantEvent.Type.STATUS_CHANGED, TenantEvent.Type.STATUS_CHANGED);
    assertThat(events.get(0).access().actor()).isEqualTo("ops@example.com");
    assertThat(events.get(0).access().reason()).isEqualTo("onboarding ticket 42");
    assertThat(events.get(1).access().reason()).isEqualTo("unpaid invoice");
    assertThat(events.get(2).access()).isNull();
    assertThat(events.stream().map(TenantEvent::tenant).map(Tenant::id).collect(Collectors.toSet()))
        .containsExactly(tenant.id());
  }
}
