package dev.tenancy.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenancy.core.TenantId;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The migration status record and its summary refuse inconsistent values. */
class TenantMigrationStatusTest {

  private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

  @Test
  void target_mustBeTheTenantIdOrASharedKey() {
    TenantId tenant = TenantId.random();
    assertThatThrownBy(() -> new TenantMigrationStatus(TenantId.random().toString(), tenant, "tenant_a",
        MigrationState.PENDING, null, null, null, 0, null, null, null, null, NOW, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TenantMigrationStatus("public", null, "public", MigrationState.PENDING, null, null,
        null, 0, null, null, null, null, NOW, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThat(TenantMigrationStatus.pendingShared("public", NOW).target()).isEqualTo("shared:public");
    assertThat(TenantMigrationStatus.pending(tenant, "tenant_a", NOW).findTenant()).contains(tenant);
  }

  @Test
  void running_needsRunIdAndLease_andIsHeldOnlyUntilTheLeaseEnds() {
    TenantId tenant = TenantId.random();
    assertThatThrownBy(() -> new TenantMigrationStatus(tenant.toString(), tenant, "tenant_a", MigrationState.RUNNING,
        null, null, null, 1, null, NOW, null, null, NOW, 1)).isInstanceOf(IllegalArgumentException.class);
    TenantMigrationStatus running = new TenantMigrationStatus(tenant.toString(), tenant, "tenant_a",
        MigrationState.RUNNING, null, null, null, 1, "run", NOW, null, NOW.plusSeconds(60), NOW, 1);

    assertThat(running.heldAt(NOW.plusSeconds(59))).isTrue();
    assertThat(running.heldAt(NOW.plusSeconds(60))).isFalse();
  }

  @Test
  void error_longerThanTheLimit_isCut_andControlCharactersInNamesAreRefused() {
    TenantId tenant = TenantId.random();
    TenantMigrationStatus failed = new TenantMigrationStatus(tenant.toString(), tenant, "tenant_a",
        MigrationState.FAILED, null, null, "e".repeat(10_000), 1, "run", NOW, NOW, null, NOW, 1);

    assertThat(failed.error()).hasSize(TenantMigrationStatus.MAX_ERROR_LENGTH);
    assertThatThrownBy(() -> TenantMigrationStatus.pending(tenant, "tenant\na", NOW))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void summary_countsByState() {
    TenantId a = TenantId.random();
    MigrationSummary summary = MigrationSummary.of(List.of(TenantMigrationStatus.pending(a, "tenant_a", NOW),
        TenantMigrationStatus.pendingShared("public", NOW)));

    assertThat(summary).isEqualTo(new MigrationSummary(2, 0, 0, 0));
    assertThat(summary.count(MigrationState.PENDING)).isEqualTo(2);
    assertThat(summary.total()).isEqualTo(2);
    assertThatThrownBy(() -> new MigrationSummary(-1, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
