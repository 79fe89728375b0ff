package dev.tenancy.core;

import static dev.tenancy.core.Tenants.currentSlug;
import static dev.tenancy.core.Tenants.tenant;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshotFactory;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The tenant travels through Micrometer's context-propagation, which Reactor and Spring use. */
class TenantThreadLocalAccessorTest {

  private final TenantInfo acme = tenant("acme");

  @Test
  void serviceLoader_registersTheAccessorWithTheGlobalRegistry() {
    assertThat(ContextRegistry.getInstance().getThreadLocalAccessors())
        .anySatisfy(accessor -> assertThat(accessor.key()).isEqualTo(TenantThreadLocalAccessor.KEY));
  }

  @Test
  void capturedSnapshot_restoredOnAnotherThread_carriesTenantAndRestoresNothingAfter() throws Exception {
    ContextSnapshotFactory factory = ContextSnapshotFactory.builder().build();
    io.micrometer.context.ContextSnapshot snapshot;
    try (TenantScope scope = TenantContext.enter(acme)) {
      snapshot = factory.captureAll();
    }
    ExecutorService worker = Executors.newSingleThreadExecutor();
    try {
      String inside = worker.submit(() -> {
        try (io.micrometer.context.ContextSnapshot.Scope restored = snapshot.setThreadLocals()) {
          return currentSlug();
        }
      }).get(10, TimeUnit.SECONDS);
      assertThat(inside).isEqualTo("acme");
      assertThat(worker.submit(Tenants::currentSlug).get(10, TimeUnit.SECONDS)).isEqualTo("<none>");
    } finally {
      worker.shutdownNow();
    }
  }

  @Test
  void emptySnapshot_restoredOnAThreadWithATenant_hidesItThenGivesItBack() {
    io.micrometer.context.ContextSnapshot empty = ContextSnapshotFactory.builder().clearMissing(true).build().captureAll();
    TenantContext.run(acme, () -> {
      try (io.micrometer.context.ContextSnapshot.Scope restored = empty.setThreadLocals()) {
        assertThat(TenantContext.current()).isEmpty();
      }
      assertThat(TenantContext.require()).isSameAs(acme);
    });
  }
}
