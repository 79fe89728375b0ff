package dev.tenancy.core.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenancy.core.TenancyConfigurationException;
import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.lifecycle.LifecycleFixture;
import dev.tenancy.core.lifecycle.NewTenant;
import dev.tenancy.core.lifecycle.TenantService;
import dev.tenancy.core.lifecycle.TenantUpdate;
import dev.tenancy.core.memory.InMemoryTenantStore;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issuer → tenant bindings: one tenant per issuer, kept in line with the tenants' settings. */
class SsoIssuerRegistryTest {

  private static final URI JWKS = URI.create("https://idp.acme.example/jwks.json");
  private final SsoIssuerRegistry registry = new SsoIssuerRegistry();
  private final TenantId acme = TenantId.random();
  private final TenantId globex = TenantId.random();

  @Test
  void register_bindsTheIssuerToItsTenant() {
    registry.register(new SsoIssuer(acme, "https://idp.acme.example", JWKS, null));

    assertThat(registry.findByIssuer("https://idp.acme.example")).hasValueSatisfying(
        i -> assertThat(i.tenant()).isEqualTo(acme));
    assertThat(registry.findByTenant(acme)).isPresent();
    assertThat(registry.findByIssuer("https://idp.acme.example/")).isEmpty();
  }

  @Test
  void register_anIssuerOfAnotherTenant_isRefused() {
    registry.register(new SsoIssuer(acme, "https://idp.shared.example", JWKS, null));

    assertThatThrownBy(() -> registry.register(new SsoIssuer(globex, "https://idp.shared.example", JWKS, null)))
        .isInstanceOf(TenancyConfigurationException.class).hasMessageContaining("already bound to tenant " + acme);
    assertThat(registry.findByIssuer("https://idp.shared.example").orElseThrow().tenant()).isEqualTo(acme);
  }

  @Test
  void register_aNewIssuerForATenant_replacesItsOldOne() {
    registry.register(new SsoIssuer(acme, "https://old.example", JWKS, null));
    registry.register(new SsoIssuer(acme, "https://new.example", JWKS, null));

    assertThat(registry.findByIssuer("https://old.example")).isEmpty();
    assertThat(registry.findByIssuer("https://new.example")).isPresent();
  }

  @Test
  void ssoIssuer_refusesUnsafeJwksUrlsAndBlankValues() {
    for (String url : new String[] {"file:///etc/passwd", "ftp://idp.example/jwks", "/relative/jwks",
        "https://user:pw@idp.example/jwks", "https://idp.example/jwks#frag"}) {
      assertThatThrownBy(() -> new SsoIssuer(acme, "https://idp.example", URI.create(url), null))
          .as(url).isInstanceOf(TenancyConfigurationException.class).hasMessageContaining("JWKS URL");
    }
    assertThatThrownBy(() -> new SsoIssuer(acme, " ", JWKS, null)).isInstanceOf(
        TenancyConfigurationException.class);
    assertThatThrownBy(() -> new SsoIssuer(acme, "https://idp.example", JWKS, ""))
        .isInstanceOf(TenancyConfigurationException.class).hasMessageContaining("audience");
  }

  @Test
  void fromSettings_needsBothIssuerAndJwksUrl() {
    assertThat(SsoIssuer.fromSettings(acme, Map.of())).isEmpty();
    assertThat(SsoIssuer.fromSettings(acme, Map.of(SsoIssuer.ISSUER_SETTING, "https://idp.example",
        SsoIssuer.JWKS_URL_SETTING, JWKS.toString(), SsoIssuer.AUDIENCE_SETTING, "client-1")))
        .contains(new SsoIssuer(acme, "https://idp.example", JWKS, "client-1"));
    assertThatThrownBy(() -> SsoIssuer.fromSettings(acme, Map.of(SsoIssuer.ISSUER_SETTING, "https://idp.example")))
        .isInstanceOf(TenancyConfigurationException.class).hasMessageContaining("both");
    assertThatThrownBy(() -> SsoIssuer.fromSettings(acme, Map.of(SsoIssuer.ISSUER_SETTING, "https://idp.example",
        SsoIssuer.JWKS_URL_SETTING, "not a url")))
        .isInstanceOf(TenancyConfigurationException.class).hasMessageContaining(SsoIssuer.JWKS_URL_SETTING);
  }

  @Test
  void lifecycleListener_followsTheTenantsSettings() {
    TenantService tenants = LifecycleFixture.service(new InMemoryTenantStore())
        .listener(registry.lifecycleListener()).build();
    Tenant tenant = tenants.create(NewTenant.of("acme", "Acme"));
    assertThat(registry.findByTenant(tenant.id())).isEmpty();

    tenants.update(tenant.id(), TenantUpdate.none().withSettings(sso("https://idp.acme.example")));
    assertThat(registry.findByIssuer("https://idp.acme.example").orElseThrow().tenant()).isEqualTo(tenant.id());

    tenants.update(tenant.id(), TenantUpdate.none().withSettings(Map.of()));
    assertThat(registry.findByIssuer("https://idp.acme.example")).isEmpty();
  }

  @Test
  void sync_ofATenantClaimingAnotherTenantsIssuer_leavesItWithoutSso() {
    registry.register(new SsoIssuer(acme, "https://idp.acme.example", JWKS, null));
    TenantService tenants = LifecycleFixture.service(new InMemoryTenantStore()).build();
    Tenant intruder = tenants.create(NewTenant.of("intruder", "Intruder"));
    registry.register(new SsoIssuer(intruder.id(), "https://idp.intruder.example", JWKS, null));
    Tenant claiming = tenants.update(intruder.id(), TenantUpdate.none().withSettings(sso("https://idp.acme.example")));

    assertThatThrownBy(() -> registry.sync(claiming)).isInstanceOf(TenancyConfigurationException.class);

    assertThat(registry.findByTenant(intruder.id())).isEmpty();
    assertThat(registry.findByIssuer("https://idp.acme.example").orElseThrow().tenant()).isEqualTo(acme);
  }

  private static Map<String, String> sso(String issuer) {
    return Map.of(SsoIssuer.ISSUER_SETTING, issuer, SsoIssuer.JWKS_URL_SETTING, JWKS.toString());
  }
}
