package dev.tenancy.core.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tenancy.core.EffectiveConfiguration;
import dev.tenancy.core.EnvironmentOverrides;
import dev.tenancy.core.SlugAlreadyTakenException;
import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenancyConfigurationException;
import dev.tenancy.core.TenantConfigurationResolver;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantNotFoundException;
import dev.tenancy.core.TenantQuery;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.TenantValidationException;
import dev.tenancy.core.Tier;
import dev.tenancy.core.TierCatalog;
import dev.tenancy.core.memory.InMemoryTenantStore;
import dev.tenancy.core.spi.ProvisioningStep;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TenantServiceCreateTest {

  private static final Instant NOW = Instant.parse("2026-03-01T09:00:00Z");

  private final InMemoryTenantStore store = new InMemoryTenantStore();
  private final TenantService service = LifecycleFixture.service(store)
      .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();

  @Test
  void create_defaults_trialOnFreeTierAtVersionOne() {
    Tenant tenant = service.create(NewTenant.of("acme-realty", "  Acme Realty "));

    assertThat(tenant.status()).isEqualTo(TenantStatus.TRIAL);
    assertThat(tenant.tier()).isEqualTo("free");
    assertThat(tenant.displayName()).isEqualTo("Acme Realty");
    assertThat(tenant.version()).isEqualTo(1L);
    assertThat(tenant.createdAt()).isEqualTo(NOW);
    assertThat(tenant.purgeAfter()).isNull();
    assertThat(service.find(tenant.id())).contains(tenant);
    assertThat(service.pendingProvisioning()).isEmpty();
  }

  @Test
  void create_fullRequest_storesEveryOverride() {
    Tenant tenant = service.create(NewTenant.of("acme", "Acme").withTier("pro")
        .withInitialStatus(TenantStatus.ACTIVE).withFeatureFlags(Map.of("sso", true))
        .withLimits(Map.of("concurrentUsers", 80L)).withApiVersion("2025-01").withSettings(Map.of("locale", "de")));

    assertThat(tenant.status()).isEqualTo(TenantStatus.ACTIVE);
    EffectiveConfiguration effective = service.info(tenant).configuration();
    assertThat(effective.tier()).isEqualTo("pro");
    assertThat(effective.isEnabled("sso")).isTrue();
    assertThat(effective.limit("concurrentUsers")).hasValue(80L);
    assertThat(effective.findApiVersion()).contains("2025-01");
    assertThat(effective.setting("locale")).contains("de");
  }

  @Test
  void create_catalogWithoutFree_defaultsToFirstTier() {
    TierCatalog catalog = TierCatalog.builder().tier(new Tier("basic", Map.of(), Map.of()))
        .tier(new Tier("plus", Map.of(), Map.of())).build();
    TenantService custom = TenantService.builder().store(store)
        .resolver(TenantConfigurationResolver.of(catalog, EnvironmentOverrides.none())).build();

    assertThat(custom.create(NewTenant.of("acme", "Acme")).tier()).isEqualTo("basic");
  }

  @Test
  void create_slugTaken_throwsSlugAlreadyTakenAndKeepsFirstTenant() {
    Tenant first = service.create(NewTenant.of("acme", "Acme"));

    assertThatThrownBy(() -> service.create(NewTenant.of("acme", "Other Acme")))
        .isInstanceOf(SlugAlreadyTakenException.class).hasMessageContaining("acme");

    assertThat(service.list(TenantQuery.all()).items()).containsExactly(first);
    assertThat(service.pendingProvisioning()).isEmpty();
  }

  static Stream<Arguments> invalidRequests() {
    NewTenant valid = NewTenant.of("acme", "Acme");
    return Stream.of(
        Arguments.of(NewTenant.of("Acme Inc", "Acme"), "slug"),
        Arguments.of(NewTenant.of("acme", "   "), "displayName"),
        Arguments.of(valid.withTier("platinum"), "tier"),
        Arguments.of(valid.withInitialStatus(TenantStatus.SUSPENDED), "initialStatus"),
        Arguments.of(valid.withInitialStatus(TenantStatus.PROVISIONING), "initialStatus"),
        Arguments.of(valid.withLimits(Map.of("apiCallsPerMonth", -1L)), "limits.apiCallsPerMonth"),
        Arguments.of(valid.withFeatureFlags(Map.of("bad key", true)), "featureFlags"),
        Arguments.of(valid.withApiVersion("v 2"), "apiVersion"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("invalidRequests")
  void create_invalidField_throwsValidationNamingFieldAndStoresNothing(NewTenant request, String field) {
    TenantValidationException failure = catchThrowableOfType(TenantValidationException.class,
        () -> service.create(request));

    assertThat(failure).isNotNull();
    assertThat(failure.field()).isEqualTo(field);
    assertThat(service.list(TenantQuery.all()).total()).isZero();
    assertThat(service.pendingProvisioning()).isEmpty();
  }

  @Test
  void require_idOrSlug_findsTheSameTenant() {
    Tenant tenant = service.create(NewTenant.of("acme", "Acme"));

    assertThat(service.require("acme")).isEqualTo(tenant);
    assertThat(service.require(tenant.id().toString())).isEqualTo(tenant);
    assertThat(service.require(tenant.id().toString().toUpperCase(java.util.Locale.ROOT))).isEqualTo(tenant);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Acme", "acme'; drop table tenants;--", "00000000-0000-0000-0000-000000000000",
      "1-1-1-1-1", "missing", "6f1c1f4e-9a7d-4a8e-8f0e-2f2d7c1b9a10"})
  void require_malformedOrUnknown_throwsNotFoundNeverValidation(String reference) {
    service.create(NewTenant.of("acme", "Acme"));

    assertThatThrownBy(() -> service.require(reference)).isExactlyInstanceOf(TenantNotFoundException.class);
  }

  @Test
  void find_unknownId_isEmpty() {
    assertThat(service.find(TenantId.random())).isEmpty();
  }

  @Test
  void build_duplicateStepNames_throwsConfigurationException() {
    ProvisioningStep one = new RecordingStep("schema", new java.util.ArrayList<>());
    ProvisioningStep two = new RecordingStep("schema", new java.util.ArrayList<>());

    assertThatThrownBy(() -> LifecycleFixture.service(store).step(one).step(two).build())
        .isInstanceOf(TenancyConfigurationException.class).hasMessageContaining("schema");
  }

  @Test
  void build_withoutStoreOrResolver_throwsConfigurationException() {
    assertThatThrownBy(() -> TenantService.builder().resolver(LifecycleFixture.RESOLVER).build())
        .isInstanceOf(TenancyConfigurationException.class).hasMessageContaining("store");
    assertThatThrownBy(() -> TenantService.builder().store(store).build())
        .isInstanceOf(TenancyConfigurationException.class).hasMessageContaining("resolver");
  }
}
