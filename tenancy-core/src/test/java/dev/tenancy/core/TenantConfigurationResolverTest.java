package dev.tenancy.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TenantConfigurationResolverTest {

  private final TenantSlug acme = TenantSlug.of("acme-realty");

  @Test
  void resolve_layersTierThenTenantThenEnvironment() {
    TenantConfiguration stored = TenantConfiguration.ofTier("pro")
        .withLimit("apiCallsPerMonth", 5_000)
        .withLimit("requestsPerSecond", 7)
        .withFeature("sso", true)
        .withApiVersion("2025-01");
    EnvironmentOverrides env = EnvironmentOverrides.from(Map.of(
        "TENANCY_TENANT_ACME_REALTY__LIMIT_REQUESTS_PER_SECOND", "9",
        "TENANCY_TENANT_ACME_REALTY__FEATURE_LEAD_SCORING", "false",
        "TENANCY_TENANT_ACME_REALTY__SETTING_REGION", "eu-west",
        "TENANCY_TENANT_OTHER__LIMIT_REQUESTS_PER_SECOND", "1",
        "PATH", "/usr/bin"));

    EffectiveConfiguration effective =
        TenantConfigurationResolver.of(TierCatalog.builtIn(), env).resolve(acme, stored);

    assertThat(effective.tier()).isEqualTo("pro");
    assertThat(effective.limit(StandardLimit.MAX_CONCURRENT_REQUESTS)).hasValue(25L);   // tier
    assertThat(effective.limit(StandardLimit.API_CALLS_PER_MONTH)).hasValue(5_000L);     // tenant over tier
    assertThat(effective.limit(StandardLimit.REQUESTS_PER_SECOND)).hasValue(9L);         // environment over tenant
    assertThat(effective.isEnabled("sso")).isTrue();                                     // tenant over tier
    assertThat(effective.isEnabled("leadScoring")).isFalse();                            // environment over tier
    assertThat(effective.setting("region")).hasValue("eu-west");
    assertThat(effective.findApiVersion()).hasValue("2025-01");
  }

  /** Every request resolves its tenant: tenants without overrides share their tier's configuration, nothing is built. */
  @Test
  void resolve_tenantsWithoutOverrides_shareOneConfigurationPerTier() {
    TenantConfigurationResolver resolver =
        TenantConfigurationResolver.of(TierCatalog.builtIn(), EnvironmentOverrides.none());

    EffectiveConfiguration first = resolver.resolve(acme, TenantConfiguration.ofTier("pro"));
    EffectiveConfiguration second = resolver.resolve(TenantSlug.of("other"), TenantConfiguration.ofTier("pro"));

    assertThat(second).isSameAs(first);
    Tier pro = TierCatalog.builtIn().require("pro");
    assertThat(first).isEqualTo(new EffectiveConfiguration("pro", pro.features(), pro.limits(), null, Map.of()));
    assertThat(resolver.resolve(acme, TenantConfiguration.ofTier("free")).tier()).isEqualTo("free");
  }

  /** Sharing must never hand one tenant's override to another on the same tier. */
  @Test
  void resolve_oneTenantOverridesALimit_theOthersOnTheTierKeepTheTierValue() {
    EnvironmentOverrides env = EnvironmentOverrides.from(Map.of("TENANCY_TENANT_ACME_REALTY__FEATURE_SSO", "true"));
    TenantConfigurationResolver resolver = TenantConfigurationResolver.of(TierCatalog.builtIn(), env);

    EffectiveConfiguration overridden = resolver.resolve(TenantSlug.of("beta"),
        TenantConfiguration.ofTier("free").withLimit("apiCallsPerMonth", 7));
    EffectiveConfiguration fromEnvironment = resolver.resolve(acme, TenantConfiguration.ofTier("free"));
    EffectiveConfiguration plain = resolver.resolve(TenantSlug.of("gamma"), TenantConfiguration.ofTier("free"));

    assertThat(overridden.limit(StandardLimit.API_CALLS_PER_MONTH)).hasValue(7L);
    assertThat(fromEnvironment.isEnabled("sso")).isTrue();
    assertThat(plain.limit(StandardLimit.API_CALLS_PER_MONTH)).hasValue(10_000L);
    assertThat(plain.isEnabled("sso")).isFalse();
  }

  @Test
  void resolve_environmentTier_choosesWhichTierDefaultsApply() {
    EnvironmentOverrides env = EnvironmentOverrides.from(Map.of("TENANCY_TENANT_ACME_REALTY__TIER", "enterprise"));
    EffectiveConfiguration effective = TenantConfigurationResolver.of(TierCatalog.builtIn(), env)
        .resolve(acme, TenantConfiguration.ofTier("free"));
    assertThat(effective.tier()).isEqualTo("enterprise");
    assertThat(effective.isEnabled("sso")).isTrue();
  }

  @Test
  void environment_doubleUnderscoreSeparatesSlugsThatShareAPrefix() {
    EnvironmentOverrides env = EnvironmentOverrides.from(Map.of(
        "TENANCY_TENANT_ACME__LIMIT_STORAGE_BYTES", "1",
        "TENANCY_TENANT_ACME_LIMIT__LIMIT_STORAGE_BYTES", "2"));
    TenantConfigurationResolver resolver = TenantConfigurationResolver.of(TierCatalog.builtIn(), env);
    assertThat(resolver.resolve(TenantSlug.of("acme"), TenantConfiguration.ofTier("free")).limit("storageBytes"))
        .hasValue(1L);
    assertThat(resolver.resolve(TenantSlug.of("acme-limit"), TenantConfiguration.ofTier("free")).limit("storageBytes"))
        .hasValue(2L);
  }

  @Test
  void environment_malformedVariables_failAtStartUpNamingTheVariable() {
    assertThatThrownBy(() -> EnvironmentOverrides.from(Map.of("TENANCY_TENANT_ACME__LIMIT_STORAGE_BYTES", "lots")))
        .isInstanceOf(TenancyConfigurationException.class)
        .hasMessageContaining("TENANCY_TENANT_ACME__LIMIT_STORAGE_BYTES").hasMessageContaining("whole number");
    assertThatThrownBy(() -> EnvironmentOverrides.from(Map.of("TENANCY_TENANT_ACME__LIMIT_STORAGE_BYTES", "-1")))
        .hasMessageContaining("zero or positive");
    assertThatThrownBy(() -> EnvironmentOverrides.from(Map.of("TENANCY_TENANT_ACME__FEATURE_SSO", "yes")))
        .hasMessageContaining("true or false");
    assertThatThrownBy(() -> EnvironmentOverrides.from(Map.of("TENANCY_TENANT_ACME__COLOUR", "blue")))
        .hasMessageContaining("unknown key 'COLOUR'");
    assertThatThrownBy(() -> EnvironmentOverrides.from(Map.of("TENANCY_TENANT_ACME_LIMIT_X", "1")))
        .hasMessageContaining("TENANCY_TENANT_<SLUG>__<KEY>");
    assertThatThrownBy(() -> EnvironmentOverrides.from(Map.of("TENANCY_TENANT_ACME__TIER", "Gold!")))
        .hasMessageContaining("TENANCY_TENANT_ACME__TIER");
  }

  @Test
  void resolve_tierMissingFromCatalog_isRefusedNamingKnownTiers() {
    TenantConfigurationResolver resolver =
        TenantConfigurationResolver.of(TierCatalog.builtIn(), EnvironmentOverrides.none());
    assertThatThrownBy(() -> resolver.resolve(acme, TenantConfiguration.ofTier("gold")))
        .isInstanceOf(TenantValidationException.class)
        .hasMessageContaining("gold").hasMessageContaining("free");
  }

  @Test
  void tierCatalog_userDefinedTierAddedToBuiltIns() {
    TierCatalog catalog = TierCatalog.builtIn().toBuilder()
        .tier(new Tier("agency-plus", Map.of("apiCallsPerMonth", 2_000_000L), Map.of("leadScoring", true)))
        .build();
    assertThat(catalog.tiers()).extracting(Tier::name).containsExactly("free", "pro", "enterprise", "agency-plus");
    assertThat(catalog.require("agency-plus").limits()).containsEntry("apiCallsPerMonth", 2_000_000L);
    assertThat(TierCatalog.builtIn().find("agency-plus")).isEmpty();
  }

  @Test
  void configuration_invalidKeysAndValues_areRefusedWithTheField() {
    assertThatThrownBy(() -> TenantConfiguration.ofTier("pro").withLimit("apiCallsPerMonth", -5))
        .isInstanceOf(TenantValidationException.class)
        .satisfies(e -> assertThat(((TenantValidationException) e).field()).isEqualTo("limits.apiCallsPerMonth"));
    assertThatThrownBy(() -> TenantConfiguration.ofTier("pro").withFeature("bad key; drop", true))
        .isInstanceOf(TenantValidationException.class).hasMessageContaining("featureFlags");
    assertThatThrownBy(() -> TenantConfiguration.ofTier("PRO"))
        .isInstanceOf(TenantValidationException.class).hasMessageContaining("tier");
    assertThatThrownBy(() -> TenantConfiguration.ofTier("pro").withApiVersion("../v2"))
        .isInstanceOf(TenantValidationException.class).hasMessageContaining("apiVersion");
  }
}
