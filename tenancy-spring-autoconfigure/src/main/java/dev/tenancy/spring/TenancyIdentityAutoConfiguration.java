package dev.tenancy.spring;

import dev.tenancy.core.TenancyConfigurationException;
import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantPage;
import dev.tenancy.core.TenantQuery;
import dev.tenancy.core.audit.AuditLog;
import dev.tenancy.core.identity.ApiKeyService;
import dev.tenancy.core.identity.SsoIssuerRegistry;
import dev.tenancy.core.identity.TenantTokenService;
import dev.tenancy.core.identity.TokenAlgorithm;
import dev.tenancy.core.identity.TokenKey;
import dev.tenancy.core.lifecycle.TenantService;
import dev.tenancy.core.spi.ApiKeyStore;
import dev.tenancy.core.spi.TenantLifecycleListener;
import dev.tenancy.core.spi.TenantStore;
import dev.tenancy.jdbc.identity.JdbcApiKeyStore;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Import;

/**
 * Identity: the {@link TenantTokenService} from {@code tenancy.tokens.*} (or from the application's {@link TokenKey}
 * beans), the {@link SsoIssuerRegistry} kept in line with the tenants' {@code sso.*} settings, and the
 * {@link ApiKeyService} (keys in a {@link JdbcApiKeyStore} on the pool when there is one DataSource, in memory
 * otherwise).
 *
 * <p>The token service looks tenants up through the {@link TenantService}, and the tenant service must tell the token
 * service when a tenant is suspended or deleted (to revoke its sessions). The tenant service collects every
 * {@link TenantLifecycleListener} bean, so the listener here reaches the token service lazily, through an
 * {@link ObjectProvider}, when an event arrives: no bean depends on the other at creation, so there is no cycle.
 */
@AutoConfiguration(after = {TenancyJdbcAutoConfiguration.class, TenancyAutoConfiguration.class},
    afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@EnableConfigurationProperties(TenancyProperties.class)
@Import({ApiKeyStoreConfigurations.Jdbc.class, ApiKeyStoreConfigurations.InMemory.class})
public final class TenancyIdentityAutoConfiguration {

  /** The HS256 minimum: a shorter secret can be brute-forced offline from any token. */
  static final int MIN_SECRET_BYTES = TokenAlgorithm.HS256.minimumSecretBytes();

  private static final Logger LOG = LoggerFactory.getLogger(TenancyIdentityAutoConfiguration.class);

  /** Creates the configuration (used by Spring). */
  public TenancyIdentityAutoConfiguration() {
  }

  /**
   * The per-tenant SSO issuers, filled from every stored tenant at start-up; {@link #tenancySsoIssuerListener} keeps
   * it current afterwards.
   *
   * @param store the tenant store, read directly (platform tables, no tenant scope needed)
   * @return the registry
   */
  @Bean
  @ConditionalOnMissingBean
  public SsoIssuerRegistry tenancySsoIssuerRegistry(TenantStore store) {
    SsoIssuerRegistry registry = new SsoIssuerRegistry();
    TenantQuery query = new TenantQuery(null, null, null, 0, TenantQuery.MAX_SIZE);
    for (TenantPage page = store.list(query); ; page = store.list(query.withPage(page.page() + 1))) {
      for (Tenant tenant : page.items()) {
        try {
          registry.sync(tenant);
        } catch (TenancyConfigurationException e) {
          // sync has already removed the tenant's binding, so its SSO tokens are refused (closed), and one tenant's
          // bad settings must not stop every other tenant from being served.
          LOG.warn("Tenant {} has unusable SSO settings and accepts no SSO tokens until they are fixed: {}",
              tenant.id(), e.getMessage());
        }
      }
      if (!page.hasNext()) {
        break;
      }
    }
    return registry;
  }

  /**
   * @param registry the SSO issuer registry
   * @return the listener that syncs the registry on tenant creation, update and purge
   */
  @Bean
  @ConditionalOnMissingBean(name = "tenancySsoIssuerListener")
  public TenantLifecycleListener tenancySsoIssuerListener(SsoIssuerRegistry registry) {
    return registry.lifecycleListener();
  }

  /**
   * Revokes a tenant's sessions when it is suspended, cancelled, deleted or purged, in whichever
   * {@link TenantTokenService} bean there is (ours or the application's). Looked up per event: the token service needs
   * the tenant service, which needs this listener.
   *
   * @param tokens the token service, resolved when an event arrives
   * @return the listener
   */
  @Bean
  @ConditionalOnMissingBean(name = "tenancyTokenRevocationListener")
  public TenantLifecycleListener tenancyTokenRevocationListener(ObjectProvider<TenantTokenService> tokens) {
    return event -> tokens.ifUnique(service -> service.lifecycleListener().onEvent(event));
  }

  /**
   * The token service, when {@code tenancy.tokens.secret} or {@code tenancy.tokens.public-key-location} is set, or
   * the application declares {@link TokenKey} beans. A secret is the key that signs; otherwise the one key with a
   * private part (PEM or bean) does.
   *
   * @param properties the bound properties
   * @param keys the application's token keys, if any
   * @param tenants the tenant service (the lookup of {@code org_id})
   * @param sso the SSO issuers whose tokens are accepted too
   * @param audit the audit log, if any, where refused tokens are recorded
   * @return the service
   * @throws TenancyPropertyException if the secret is shorter than 32 bytes or a PEM key is unusable
   */
  @Bean
  @ConditionalOnMissingBean
  @Conditional(SecretOrKeys.class)
  public TenantTokenService tenancyTokenService(TenancyProperties properties, ObjectProvider<TokenKey> keys,
      TenantService tenants, SsoIssuerRegistry sso, ObjectProvider<AuditLog> audit) {
    TenancyProperties.Tokens settings = properties.getTokens();
    TenantTokenService.Builder builder = TenantTokenService.builder()
        .issuer(settings.getIssuer())
        .audience(settings.getAudience())
        .leeway(settings.getLeeway())
        .maxTokenLifetime(settings.getMaxLifetime())
        .tenants(id -> tenants.find(id).map(tenants::info))
        .ssoIssuers(sso);
    String secret = settings.getSecret();
    if (secret != null) {
      builder.key(TokenKey.hmac(settings.getKeyId(), TokenAlgorithm.HS256, secretBytes(secret)));
      // With keys from beans as well, the secret is the one that signs: the property is the explicit choice.
      builder.signingKey(settings.getKeyId());
    }
    if (settings.getPublicKeyLocation() != null) {
      builder.key(PemTokenKeys.read(settings.getPemKeyId(), settings.getPublicKeyLocation(),
          settings.getPrivateKeyLocation()));
    }
    keys.orderedStream().forEach(builder::key);
    audit.ifAvailable(builder::audit);
    return builder.build();
  }

  /**
   * @param store where keys are kept
   * @param tenants the tenant service, to refuse keys of tenants that do not serve
   * @param audit the audit log, if any
   * @return the API key service
   */
  @Bean
  @ConditionalOnMissingBean
  public ApiKeyService tenancyApiKeyService(ApiKeyStore store, TenantService tenants,
      ObjectProvider<AuditLog> audit) {
    ApiKeyService.Builder builder = ApiKeyService.builder().store(store).tenants(tenants);
    audit.ifAvailable(builder::auditLog);
    return builder.build();
  }

  static byte[] secretBytes(String secret) {
    byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
    if (bytes.length < MIN_SECRET_BYTES) {
      throw new TenancyPropertyException("tenancy.tokens.secret",
          "tenancy.tokens.secret is " + bytes.length + " bytes long; an HS256 secret must be at least "
              + MIN_SECRET_BYTES + " bytes, or tokens can be forged by guessing it.",
          "Set tenancy.tokens.secret to at least " + MIN_SECRET_BYTES + " random bytes, e.g. the output of "
              + "`openssl rand -base64 32`, from an environment variable or a secret store.");
    }
    return bytes;
  }

  /** A secret or a PEM key in the properties, or token keys as beans: each makes a token service. */
  static final class SecretOrKeys extends AnyNestedCondition {

    SecretOrKeys() {
      super(ConfigurationPhase.REGISTER_BEAN);
    }

    @ConditionalOnProperty(prefix = "tenancy.tokens", name = "secret")
    static final class Secret {
    }

    @ConditionalOnProperty(prefix = "tenancy.tokens", name = "public-key-location")
    static final class Pem {
    }

    @ConditionalOnBean(TokenKey.class)
    static final class Keys {
    }
  }
}
