package dev.tenancy.core.identity;

import dev.tenancy.core.TenancyConfigurationException;
import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.spi.TenantLifecycleListener;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The issuer → tenant bindings of per-tenant SSO: which tenant the tokens of each registered issuer act in. An issuer
 * belongs to at most one tenant and a tenant has at most one issuer, so a token from tenant A's identity provider can
 * only ever act in tenant A.
 *
 * <p>Fill it explicitly ({@link #register}) or from the tenants' settings ({@link #sync(Tenant)} at start-up for every
 * tenant, then {@link #lifecycleListener()} keeps it current). Thread-safe; lookups take no lock.
 *
 * <pre>{@code
 * SsoIssuerRegistry sso = new SsoIssuerRegistry();
 * allTenants.forEach(sso::sync);                        // at start-up: every stored tenant
 * TenantService tenants = TenantService.builder()...listener(sso.lifecycleListener()).build();
 * TenantTokenService tokens = TenantTokenService.builder()...ssoIssuers(sso).build();
 * }</pre>
 *
 * <p>Who may change the {@value SsoIssuer#ISSUER_SETTING} and {@value SsoIssuer#JWKS_URL_SETTING} settings may make
 * the application fetch that URL and trust its keys for that tenant: let platform operators set them, not tenants.
 *
 * @since 0.1.0
 */
public final class SsoIssuerRegistry {

  // Copy-on-write: registrations are rare, lookups happen on every SSO token and take no lock.
  private volatile Bindings bindings = new Bindings(Map.of(), Map.of());

  private record Bindings(Map<String, SsoIssuer> byIssuer, Map<TenantId, SsoIssuer> byTenant) {
  }

  /** Creates an empty registry. */
  public SsoIssuerRegistry() {
  }

  /**
   * Binds an issuer to its tenant, replacing the tenant's previous issuer if any.
   *
   * @param issuer the issuer
   * @throws TenancyConfigurationException if the issuer is already bound to another tenant
   */
  public synchronized void register(SsoIssuer issuer) {
    Objects.requireNonNull(issuer, "issuer");
    SsoIssuer owner = bindings.byIssuer().get(issuer.issuer());
    if (owner != null && !owner.tenant().equals(issuer.tenant())) {
      throw new TenancyConfigurationException("SSO issuer '" + issuer.issuer() + "' is already bound to tenant "
          + owner.tenant() + "; an issuer can belong to one tenant only, so give tenant " + issuer.tenant()
          + " its own issuer (or remove it from the other tenant first)");
    }
    Map<String, SsoIssuer> issuers = new HashMap<>(bindings.byIssuer());
    Map<TenantId, SsoIssuer> tenants = new HashMap<>(bindings.byTenant());
    SsoIssuer previous = tenants.put(issuer.tenant(), issuer);
    if (previous != null) {
      issuers.remove(previous.issuer());
    }
    issuers.put(issuer.issuer(), issuer);
    publish(issuers, tenants);
  }

  /**
   * Removes a tenant's issuer; its tokens are refused from now on, cached ones included.
   *
   * @param tenant the tenant
   * @return whether the tenant had one
   */
  public synchronized boolean remove(TenantId tenant) {
    Objects.requireNonNull(tenant, "tenant");
    if (!bindings.byTenant().containsKey(tenant)) {
      return false;
    }
    Map<String, SsoIssuer> issuers = new HashMap<>(bindings.byIssuer());
    Map<TenantId, SsoIssuer> tenants = new HashMap<>(bindings.byTenant());
    issuers.remove(tenants.remove(tenant).issuer());
    publish(issuers, tenants);
    return true;
  }

  /**
   * Makes the registry agree with a tenant's settings: registers its issuer, or removes it if the settings name none
   * or the tenant is deleted.
   *
   * @param tenant a stored tenant
   * @throws TenancyConfigurationException if the settings are incomplete or invalid, or the issuer belongs to another
   *     tenant; the tenant's previous binding is removed first, so it fails closed
   */
  public void sync(Tenant tenant) {
    Objects.requireNonNull(tenant, "tenant");
    if (tenant.status() == TenantStatus.DELETED) {
      remove(tenant.id());
      return;
    }
    Optional<SsoIssuer> issuer;
    try {
      issuer = SsoIssuer.fromTenant(tenant);
    } catch (TenancyConfigurationException e) {
      remove(tenant.id());
      throw e;
    }
    if (issuer.isEmpty()) {
      remove(tenant.id());
      return;
    }
    synchronized (this) {
      try {
        register(issuer.get());
      } catch (TenancyConfigurationException e) {
        remove(tenant.id());
        throw e;
      }
    }
  }

  /**
   * @param issuer a token's {@code iss}
   * @return the binding of that issuer, if registered
   */
  public Optional<SsoIssuer> findByIssuer(String issuer) {
    return Optional.ofNullable(lookup(Objects.requireNonNull(issuer, "issuer")));
  }

  /**
   * @param tenant a tenant
   * @return the tenant's issuer, if it has one
   */
  public Optional<SsoIssuer> findByTenant(TenantId tenant) {
    return Optional.ofNullable(bindings.byTenant().get(Objects.requireNonNull(tenant, "tenant")));
  }

  /**
   * A listener for {@code TenantService.Builder.listener} that keeps the registry in line with the tenants' settings:
   * synced on creation and update, removed on purge. Invalid settings are logged by the tenant service and leave the
   * tenant without SSO (its tokens are refused) rather than undoing the update.
   *
   * @return the listener
   */
  public TenantLifecycleListener lifecycleListener() {
    return event -> {
      switch (event.type()) {
        case CREATED, UPDATED, STATUS_CHANGED -> sync(event.tenant());
        case PURGED, PROVISIONING_ROLLED_BACK -> remove(event.tenant().id());
        default -> {
          // provisioning steps change no settings
        }
      }
    };
  }

  @Nullable SsoIssuer lookup(String issuer) {
    return bindings.byIssuer().get(issuer);
  }

  private void publish(Map<String, SsoIssuer> issuers, Map<TenantId, SsoIssuer> tenants) {
    bindings = new Bindings(Map.copyOf(issuers), Map.copyOf(tenants));
  }
}
