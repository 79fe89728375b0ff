package dev.tenancy.core;

import static dev.tenancy.core.Tenants.tenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class TenantContextTest {

  private final TenantInfo acme = tenant("acme");
  private final TenantInfo globex = tenant("globex");

  @AfterEach
  void threadIsClean() {
    assertThat(TenantContext.currentFrame()).as("test left a tenant on the thread").isNull();
    assertThat(MDC.get(TenantContext.MDC_KEY)).isNull();
  }

  @Test
  void require_outsideAnyScope_throwsNoTenantExceptionThatSaysHowToFix() {
    assertThat(TenantContext.current()).isEmpty();
    assertThatThrownBy(TenantContext::require)
        .isInstanceOf(NoTenantException.class)
        .hasMessageContaining("TenantContext.enter")
        .hasMessageContaining("TenantContext.wrap");
  }

  @Test
  void enter_setsTenantAndMdc_closeRemovesBoth() {
    try (TenantScope scope = TenantContext.enter(acme)) {
      assertThat(TenantContext.require()).isSameAs(acme);
      assertThat(MDC.get(TenantContext.MDC_KEY)).isEqualTo(acme.id().toString());
    }
    assertThat(TenantContext.current()).isEmpty();
    assertThat(MDC.get(TenantContext.MDC_KEY)).isNull();
  }

  @Test
  void nestedScopes_innerCloses_outerTenantAndMdcRestored() {
    try (TenantScope outer = TenantContext.enter(acme)) {
      try (TenantScope inner = TenantContext.enter(globex)) {
        assertThat(TenantContext.require()).isSameAs(globex);
        assertThat(MDC.get(TenantContext.MDC_KEY)).isEqualTo(globex.id().toString());
      }
      assertThat(TenantContext.require()).isSameAs(acme);
      assertThat(MDC.get(TenantContext.MDC_KEY)).isEqualTo(acme.id().toString());
    }
  }

  @Test
  void close_outOfOrder_throwsAndLeavesTheThreadWithoutTenant() {
    TenantScope outer = TenantContext.enter(acme);
    TenantScope inner = TenantContext.enter(globex);

    assertThatThrownBy(outer::close)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("out of order");

    assertThat(TenantContext.current()).as("fail closed: neither tenant may stay bound").isEmpty();
    assertThat(MDC.get(TenantContext.MDC_KEY)).isNull();
    inner.close(); // already invalidated: harmless
    assertThat(TenantContext.current()).isEmpty();
  }

  @Test
  void close_twice_isHarmlessAndDoesNotPopTheOuterScope() {
    try (TenantScope outer = TenantContext.enter(acme)) {
      TenantScope inner = TenantContext.enter(globex);
      inner.close();
      inner.close();
      assertThat(TenantContext.require()).isSameAs(acme);
    }
  }

  @Test
  void close_onAnotherThread_isRefused() throws Exception {
    TenantScope scope = TenantContext.enter(acme);
    try {
      ExecutorService other = Executors.newSingleThreadExecutor();
      try {
        Future<?> attempt = other.submit(scope::close);
        assertThatThrownBy(attempt::get).hasCauseInstanceOf(IllegalStateException.class)
            .hasMessageContaining("thread that opened it");
      } finally {
        other.shutdownNow();
      }
      assertThat(TenantContext.require()).isSameAs(acme);
    } finally {
      scope.close();
    }
  }

  @Test
  void newThread_startedInsideScope_doesNotInheritTheTenant() throws Exception {
    AtomicReference<String> seen = new AtomicReference<>();
    try (TenantScope scope = TenantContext.enter(acme)) {
      Thread child = new Thread(() -> seen.set(Tenants.currentSlug()));
      child.start();
      child.join();
    }
    assertThat(seen).hasValue("<none>");
  }

  @Test
  void runCallGet_runAsTenantAndRestore() throws Exception {
    TenantContext.run(acme, () -> assertThat(TenantContext.require()).isSameAs(acme));
    assertThat(TenantContext.call(acme, () -> TenantContext.require().slug().value())).isEqualTo("acme");
    assertThat(TenantContext.get(globex, () -> TenantContext.require().slug().value())).isEqualTo("globex");
    assertThat(TenantContext.current()).isEmpty();
  }

  @Test
  void run_actionThrows_scopeIsStillClosed() {
    assertThatThrownBy(() -> TenantContext.run(acme, () -> {
      throw new IllegalArgumentException("boom");
    })).hasMessage("boom");
    assertThat(TenantContext.current()).isEmpty();
  }

  @Test
  void features_readTheCurrentTenantsEffectiveConfiguration() {
    EffectiveConfiguration config = new EffectiveConfiguration("pro", java.util.Map.of("leadScoring", true),
        java.util.Map.of("apiCallsPerMonth", 1000L), null, java.util.Map.of());
    TenantInfo scored = new TenantInfo(TenantId.random(), TenantSlug.of("scored"), TenantStatus.ACTIVE, config);

    TenantContext.run(scored, () -> {
      assertThat(Features.isEnabled("leadScoring")).isTrue();
      assertThat(Features.isEnabled("unknownFeature")).isFalse();
      assertThat(Features.limit(StandardLimit.API_CALLS_PER_MONTH)).hasValue(1000L);
      assertThat(Features.limit(StandardLimit.STORAGE_BYTES)).isEmpty();
    });
    TenantContext.run(acme, () -> assertThat(Features.isEnabled("leadScoring")).isFalse());
    assertThatThrownBy(() -> Features.isEnabled("leadScoring")).isInstanceOf(NoTenantException.class);
  }
}
