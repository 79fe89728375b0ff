package dev.tenancy.core;

import static dev.tenancy.core.Tenants.tenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class PlatformAccessTest {

  private final TenantInfo acme = tenant("acme");

  @Test
  void asPlatform_withoutTenant_hasNoTenantButIsMarkedAndAnnounced() throws Exception {
    List<PlatformAccess> heard = new CopyOnWriteArrayList<>();
    try (AutoCloseable registration = TenantContext.addPlatformAccessListener(heard::add)) {
      String result = TenantContext.asPlatform("ops@platform", "monthly billing run", () -> {
        assertThat(TenantContext.current()).isEmpty();
        assertThat(TenantContext.isPlatform()).isTrue();
        assertThatThrownBy(TenantContext::require).isInstanceOf(NoTenantException.class);
        return "ran";
      });
      assertThat(result).isEqualTo("ran");
    }
    assertThat(heard).singleElement().satisfies(access -> {
      assertThat(access.actor()).isEqualTo("ops@platform");
      assertThat(access.reason()).isEqualTo("monthly billing run");
      assertThat(access.findTenant()).isEmpty();
    });
    assertThat(TenantContext.isPlatform()).isFalse();
    assertThat(TenantContext.platformAccess()).isEmpty();
  }

  @Test
  void asPlatform_insideATenant_bindsTheTenantAndRecordsIt() throws Exception {
    List<PlatformAccess> heard = new CopyOnWriteArrayList<>();
    try (AutoCloseable registration = TenantContext.addPlatformAccessListener(heard::add)) {
      TenantContext.asPlatform("support@platform", "ticket 4711", acme, () -> {
        assertThat(TenantContext.require()).isSameAs(acme);
        assertThat(TenantContext.platformAccess()).hasValueSatisfying(a -> assertThat(a.tenant()).isEqualTo(acme.id()));
        return null;
      });
    }
    assertThat(heard).singleElement().satisfies(a -> assertThat(a.tenant()).isEqualTo(acme.id()));
  }

  @Test
  void asPlatform_whenAListenerCannotRecordIt_refusesTheAccess() throws Exception {
    AtomicBoolean ran = new AtomicBoolean();
    try (AutoCloseable registration = TenantContext.addPlatformAccessListener(a -> {
      throw new IllegalStateException("audit store down");
    })) {
      assertThatThrownBy(() -> TenantContext.asPlatform("ops", "reason", () -> ran.getAndSet(true)))
          .hasMessage("audit store down");
    }
    assertThat(ran).isFalse();
    assertThat(TenantContext.platformAccess()).isEmpty();
  }

  @Test
  void asPlatform_withoutReason_isRefused() {
    assertThatThrownBy(() -> TenantContext.asPlatform("ops", "  ", () -> null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reason");
  }

  @Test
  void wrappedTask_capturedInPlatformScope_carriesThePlatformMarker() throws Exception {
    Runnable[] wrapped = new Runnable[1];
    TenantContext.asPlatform("ops", "reindex", () -> {
      wrapped[0] = TenantContext.wrap((Runnable) () -> assertThat(TenantContext.isPlatform()).isTrue());
      return null;
    });
    AtomicBoolean checked = new AtomicBoolean();
    Thread worker = new Thread(() -> {
      wrapped[0].run();
      checked.set(!TenantContext.isPlatform());
    });
    worker.start();
    worker.join();
    assertThat(checked).isTrue();
  }
}
