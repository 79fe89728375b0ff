package dev.tenancy.core.health;

import static dev.tenancy.core.health.HealthFixtures.T0;
import static dev.tenancy.core.health.HealthFixtures.tenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantStatus;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthValuesTest {

  @Test
  void worst_isTheWorstStatus_andUpWhenThereAreNone() {
    assertThat(HealthStatus.worst(List.of())).isEqualTo(HealthStatus.UP);
    assertThat(HealthStatus.worst(List.of(HealthStatus.UP, HealthStatus.DEGRADED, HealthStatus.UP)))
        .isEqualTo(HealthStatus.DEGRADED);
    assertThat(HealthStatus.worst(List.of(HealthStatus.DOWN, HealthStatus.DEGRADED))).isEqualTo(HealthStatus.DOWN);
    assertThat(HealthStatus.DEGRADED.worse(HealthStatus.UP)).isEqualTo(HealthStatus.DEGRADED);
  }

  @Test
  void checkResult_keepsFactsInOrder_andIsUnmodifiable() {
    CheckResult result = CheckResult.degraded("two gaps").withFact("gaps", 2L).withFact("table", "leads")
        .withFact("ok", false).withFact("ratio", 0.5).withFact("tables", 3);

    assertThat(result.facts()).containsExactly(Map.entry("gaps", 2L), Map.entry("table", "leads"),
        Map.entry("ok", false), Map.entry("ratio", 0.5), Map.entry("tables", 3));
    assertThatThrownBy(() -> result.facts().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void checkResult_refusesBlankDetail_andFactsThatAreNotJsonScalars() {
    assertThatThrownBy(() -> CheckResult.up(" ")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CheckResult.up("ok").withFact("key", new byte[] {1, 2}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be a String");
    assertThatThrownBy(() -> CheckResult.up("ok").withFact("tenant", tenant("acme")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CheckResult.up("ok").withFact(" ", 1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void tenantHealth_isTheWorstOfItsChecks_andRefusesAnotherStatus() {
    Tenant acme = tenant("acme");
    Map<String, CheckResult> checks = new LinkedHashMap<>();
    checks.put("b", CheckResult.up("fine"));
    checks.put("a", CheckResult.degraded("look"));

    TenantHealth health = TenantHealth.of(acme, checks);

    assertThat(health.status()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(health.checks().keySet()).containsExactly("b", "a");
    assertThat(health.check("a").detail()).isEqualTo("look");
    assertThatThrownBy(() -> health.check("c")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TenantHealth(acme.id(), acme.slug(), acme.status(), HealthStatus.UP, checks))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void platformVerification_putsFailingTenantsFirst_countsThem_andNamesThemInItsReport() {
    Tenant up1 = tenant("alpha");
    Tenant degraded = tenant("bravo");
    Tenant down = tenant("charlie", TenantStatus.SUSPENDED);
    Tenant up2 = tenant("delta");
    List<TenantHealth> bySlug = List.of(
        TenantHealth.of(up1, Map.of("keys", CheckResult.up("fine"))),
        TenantHealth.of(degraded, Map.of("keys", CheckResult.degraded("events lost"))),
        TenantHealth.of(down, Map.of("keys", CheckResult.down("key altered"))),
        TenantHealth.of(up2, Map.of("keys", CheckResult.up("fine"))));
    PlatformHealth platform = PlatformHealth.of(Map.of("rows", CheckResult.up("no orphans")));

    PlatformVerification report = new PlatformVerification(T0, Duration.ofMillis(12), platform, bySlug);

    assertThat(report.tenants()).extracting(TenantHealth::tenant)
        .containsExactly(down.id(), degraded.id(), up1.id(), up2.id());
    assertThat(report.status()).isEqualTo(HealthStatus.DOWN);
    assertThat(report.counts()).containsEntry(HealthStatus.UP, 2).containsEntry(HealthStatus.DEGRADED, 1)
        .containsEntry(HealthStatus.DOWN, 1);
    assertThat(report.failing()).extracting(TenantHealth::tenant).containsExactly(down.id(), degraded.id());
    assertThat(report.tenant(up2.id())).isPresent();
    assertThat(report.toString())
        .contains("Platform verification: DOWN (4 tenants: 2 UP, 1 DEGRADED, 1 DOWN; platform checks UP")
        .contains("UP platform rows: no orphans")
        .contains("DOWN charlie " + down.id() + " (SUSPENDED) keys: key altered")
        .contains("DEGRADED bravo " + degraded.id() + " (ACTIVE) keys: events lost")
        .doesNotContain("alpha");
  }

  @Test
  void platformVerification_ofAnEmptyPlatform_isUp_withZeroCounts() {
    PlatformVerification report = new PlatformVerification(T0, Duration.ZERO, PlatformHealth.of(Map.of()), List.of());

    assertThat(report.status()).isEqualTo(HealthStatus.UP);
    assertThat(report.counts()).containsOnlyKeys(HealthStatus.values()).doesNotContainValue(1);
  }
}
