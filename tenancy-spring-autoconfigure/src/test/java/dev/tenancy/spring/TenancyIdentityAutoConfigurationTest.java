package dev.tenancy.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenancy.core.Tenant;
import dev.tenancy.core.identity.ApiKeyService;
import dev.tenancy.core.identity.InvalidTokenException;
import dev.tenancy.core.identity.InvalidTokenReason;
import dev.tenancy.core.identity.IssuedApiKey;
import dev.tenancy.core.identity.PrincipalKind;
import dev.tenancy.core.identity.SsoIssuerRegistry;
import dev.tenancy.core.identity.TenantPrincipal;
import dev.tenancy.core.identity.TenantTokenService;
import dev.tenancy.core.identity.TokenAlgorithm;
import dev.tenancy.core.identity.TokenKey;
import dev.tenancy.core.lifecycle.NewTenant;
import dev.tenancy.core.lifecycle.TenantService;
import dev.tenancy.core.lifecycle.TenantUpdate;
import dev.tenancy.core.memory.InMemoryApiKeyStore;
import dev.tenancy.core.memory.InMemoryTenantStore;
import dev.tenancy.core.spi.ApiKeyStore;
import dev.tenancy.core.spi.TenantStore;
import dev.tenancy.jdbc.identity.JdbcApiKeyStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class TenancyIdentityAutoConfigurationTest {

  static final String SECRET = "a-test-secret-that-is-long-enough-32b";

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(TenancyJdbcAutoConfiguration.class, TenancyAutoConfiguration.class,
          TenancyIdentityAutoConfiguration.class));

  @Test
  void withoutASecretThereIsNoTokenServiceButKeysAndSsoAreThere() {
    runner.run(context -> {
      assertThat(context).hasNotFailed().doesNotHaveBean(TenantTokenService.class)
          .hasSingleBean(SsoIssuerRegistry.class).hasSingleBean(ApiKeyService.class);
      assertThat(context.getBean(ApiKeyStore.class)).isInstanceOf(InMemoryApiKeyStore.class);
    });
  }

  @Test
  void aSecretMakesATokenServiceThatIssuesAndVerifiesAndRejectsATamperedToken() {
    runner.withPropertyValues("tenancy.tokens.secret=" + SECRET, "tenancy.tokens.issuer=https://api.example.com",
            "tenancy.tokens.audience=crm")
        .run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(TenantTokenService.class);
          TenantTokenService tokens = context.getBean(TenantTokenService.class);
          assertThat(tokens.issuer()).isEqualTo("https://api.example.com");
          assertThat(tokens.audience()).isEqualTo("crm");
          Tenant acme = context.getBean(TenantService.class).create(NewTenant.of("acme", "Acme"));

          String token = tokens.issue(user(acme), Duration.ofMinutes(5));
          TenantPrincipal verified = tokens.verify(token);
          assertThat(verified.tenant()).isEqualTo(acme.id());
          assertThat(verified.subject()).isEqualTo("user-1");

          // Flip one character of the signature: the HMAC no longer matches.
          char last = token.charAt(token.length() - 2);
          String tampered = token.substring(0, token.length() - 2) + (last == 'A' ? 'B' : 'A')
              + token.charAt(token.length() - 1);
          assertThatThrownBy(() -> tokens.verify(tampered)).isInstanceOf(InvalidTokenException.class)
              .extracting(e -> ((InvalidTokenException) e).reason()).isEqualTo(InvalidTokenReason.BAD_SIGNATURE);

          // A token signed with another secret (another deployment) is refused too.
          TenantTokenService other = TenantTokenService.builder().issuer("https://api.example.com").audience("crm")
              .key(TokenKey.hmac("hs256", TokenAlgorithm.HS256,
                  "another-secret-of-at-least-32-bytes!!".getBytes(StandardCharsets.UTF_8)))
              .tenants(id -> java.util.Optional.empty()).build();
          String forged = other.issue(user(acme), Duration.ofMinutes(5));
          assertThatThrownBy(() -> tokens.verify(forged)).isInstanceOf(InvalidTokenException.class);
        });
  }

  @Test
  void aShortSecretFailsStartUpNamingTheProperty() {
    runner.withPropertyValues("tenancy.tokens.secret=too-short").run(context -> {
      assertThat(context).hasFailed();
      Throwable failure = context.getStartupFailure();
      assertThat(failure).rootCause().isInstanceOf(TenancyPropertyException.class)
          .hasMessageContaining("tenancy.tokens.secret").hasMessageContaining("at least 32")
          .hasMessageNotContaining("too-short");
      FailureAnalysis analysis = new TenancyPropertyFailureAnalyzer().analyze(failure);
      assertThat(analysis).isNotNull();
      assertThat(analysis.getDescription()).contains("9 bytes");
      assertThat(analysis.getAction()).startsWith("Set tenancy.tokens.secret");
    });
  }

  @Test
  void anEmptySecretFailsToo() {
    runner.withPropertyValues("tenancy.tokens.secret=").run(context ->
        assertThat(context).hasFailed().getFailure().rootCause().isInstanceOf(TenancyPropertyException.class));
  }

  @Test
  void tokenKeyBeansMakeATokenServiceWithoutASecret() {
    runner.withUserConfiguration(OwnKey.class).run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(TenantTokenService.class);
      TenantTokenService tokens = context.getBean(TenantTokenService.class);
      Tenant acme = context.getBean(TenantService.class).create(NewTenant.of("acme", "Acme"));
      assertThat(tokens.verify(tokens.issue(user(acme), Duration.ofMinutes(1))).tenant()).isEqualTo(acme.id());
    });
  }

  @Test
  void aUserTokenServiceWins() {
    runner.withPropertyValues("tenancy.tokens.secret=" + SECRET).withUserConfiguration(OwnService.class)
        .run(context -> {
          assertThat(context).hasSingleBean(TenantTokenService.class);
          assertThat(context.getBean(TenantTokenService.class).issuer()).isEqualTo("mine");
        });
  }

  /**
   * The token service needs the tenant service (tenant lookup) and the tenant service must tell the token service
   * about suspensions: the revocation listener closes that loop without a bean cycle. A suspended, then reactivated
   * tenant's old token stays refused.
   */
  @Test
  void suspendingATenantRevokesItsSessionsThroughTheLifecycleListener() {
    runner.withPropertyValues("tenancy.tokens.secret=" + SECRET).run(context -> {
      assertThat(context).hasNotFailed();
      TenantService tenants = context.getBean(TenantService.class);
      TenantTokenService tokens = context.getBean(TenantTokenService.class);
      Tenant acme = tenants.create(NewTenant.of("acme", "Acme"));
      String token = tokens.issue(user(acme), Duration.ofMinutes(5));
      assertThat(tokens.verify(token).tenant()).isEqualTo(acme.id());

      tenants.suspend(acme.id());
      tenants.activate(acme.id());
      assertThatThrownBy(() -> tokens.verify(token)).isInstanceOf(InvalidTokenException.class)
          .extracting(e -> ((InvalidTokenException) e).reason())
          .isEqualTo(InvalidTokenReason.TENANT_SESSIONS_REVOKED);
    });
  }

  @Test
  void ssoIssuersAreSyncedFromStoredTenantsAtStartUpAndKeptCurrent() {
    InMemoryTenantStore store = new InMemoryTenantStore();
    // A tenant stored before this application started, with SSO settings.
    TenantService before = TenantService.builder().store(store)
        .resolver(dev.tenancy.core.TenantConfigurationResolver.of(dev.tenancy.core.TierCatalog.builtIn(),
            dev.tenancy.core.EnvironmentOverrides.none()))
        .build();
    Tenant acme = before.create(NewTenant.of("acme", "Acme").withSettings(sso("https://login.acme.example")));
    Tenant broken = before.create(NewTenant.of("broken", "Broken"));

    runner.withBean(TenantStore.class, () -> store).run(context -> {
      assertThat(context).hasNotFailed();
      SsoIssuerRegistry registry = context.getBean(SsoIssuerRegistry.class);
      assertThat(registry.findByTenant(acme.id())).get()
          .extracting(issuer -> issuer.issuer()).isEqualTo("https://login.acme.example");
      assertThat(registry.findByTenant(broken.id())).isEmpty();

      TenantService tenants = context.getBean(TenantService.class);
      tenants.update(broken.id(), TenantUpdate.none().withSettings(sso("https://login.broken.example")));
      assertThat(registry.findByIssuer("https://login.broken.example")).isPresent();
      tenants.update(acme.id(), TenantUpdate.none().withSettings(Map.of()));
      assertThat(registry.findByTenant(acme.id())).isEmpty();
    });
  }

  @Test
  void aDataSourceKeepsApiKeysInTheDatabaseOnThePool() {
    runner.withUserConfiguration(OneDataSource.class).run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context.getBean(ApiKeyStore.class)).isInstanceOf(JdbcApiKeyStore.class);
      ApiKeyService keys = context.getBean(ApiKeyService.class);
      // Outside any tenant scope: only possible because the store uses the pool, not the tenant-aware wrapper.
      IssuedApiKey issued = keys.createPlatformKey("ops", "test", null);
      assertThat(keys.authenticate(issued.secret()).isPlatform()).isTrue();
    });
  }

  @Test
  void withoutTenancyJdbcKeysStayInMemoryEvenWithADataSource() {
    runner.withClassLoader(new FilteredClassLoader(JdbcApiKeyStore.class))
        .withUserConfiguration(OneDataSource.class).run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(ApiKeyStore.class)).isInstanceOf(InMemoryApiKeyStore.class);
        });
  }

  @Test
  void aUserApiKeyStoreWins() {
    ApiKeyStore mine = new InMemoryApiKeyStore();
    runner.withUserConfiguration(OneDataSource.class).withBean(ApiKeyStore.class, () -> mine).run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context.getBean(ApiKeyStore.class)).isSameAs(mine);
    });
  }

  @Test
  void anRsaPemKeyPairSignsAndVerifies(@TempDir Path dir) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair pair = generator.generateKeyPair();
    Path publicKey = pem(dir.resolve("jwt.pub"), "PUBLIC KEY", pair.getPublic().getEncoded());
    Path privateKey = pem(dir.resolve("jwt.pem"), "PRIVATE KEY", pair.getPrivate().getEncoded());
    runner.withPropertyValues("tenancy.tokens.public-key-location=" + publicKey.toUri(),
            "tenancy.tokens.private-key-location=" + privateKey.toUri())
        .run(context -> {
          assertThat(context).hasNotFailed();
          TenantTokenService tokens = context.getBean(TenantTokenService.class);
          Tenant acme = context.getBean(TenantService.class).create(NewTenant.of("acme", "Acme"));
          String token = tokens.issue(user(acme), Duration.ofMinutes(1));
          assertThat(header(token)).contains("\"RS256\"").contains("\"rs256\"");
          assertThat(tokens.verify(token).tenant()).isEqualTo(acme.id());
        });
  }

  /** A public key alone verifies tokens that another service signs with the private key; the secret still signs. */
  @Test
  void anEcPublicKeyVerifiesTokensSignedElsewhere(@TempDir Path dir) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = generator.generateKeyPair();
    Path publicKey = pem(dir.resolve("ec.pub"), "PUBLIC KEY", pair.getPublic().getEncoded());
    runner.withPropertyValues("tenancy.tokens.public-key-location=" + publicKey.toUri(),
            "tenancy.tokens.pem-key-id=idp-1", "tenancy.tokens.secret=" + SECRET)
        .run(context -> {
          assertThat(context).hasNotFailed();
          TenantService tenants = context.getBean(TenantService.class);
          TenantTokenService tokens = context.getBean(TenantTokenService.class);
          Tenant acme = tenants.create(NewTenant.of("acme", "Acme"));
          TenantTokenService signer = TenantTokenService.builder().issuer("tenancy").audience("tenancy")
              .key(TokenKey.ec("idp-1", (ECPublicKey) pair.getPublic(), (ECPrivateKey) pair.getPrivate()))
              .tenants(id -> tenants.find(id).map(tenants::info)).build();
          assertThat(tokens.verify(signer.issue(user(acme), Duration.ofMinutes(1))).tenant()).isEqualTo(acme.id());
          assertThat(header(tokens.issue(user(acme), Duration.ofMinutes(1)))).contains("\"HS256\"");
        });
  }

  @Test
  void anUnreadablePemLocationFailsNamingTheProperty(@TempDir Path dir) {
    runner.withPropertyValues("tenancy.tokens.public-key-location=" + dir.resolve("missing.pub").toUri())
        .run(context -> {
          assertThat(context).hasFailed();
          // The failure analysis (what Spring Boot prints) finds our exception under the IOException's wrappers.
          FailureAnalysis analysis = new TenancyPropertyFailureAnalyzer().analyze(context.getStartupFailure());
          assertThat(analysis).isNotNull();
          assertThat(analysis.getDescription()).contains("tenancy.tokens.public-key-location", "cannot be read");
        });
  }

  static Path pem(Path file, String type, byte[] der) throws java.io.IOException {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return Files.writeString(file, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n");
  }

  static String header(String token) {
    return new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))), StandardCharsets.UTF_8);
  }

  static TenantPrincipal user(Tenant tenant) {
    return new TenantPrincipal(tenant.id(), "user-1", Set.of("agent"), PrincipalKind.USER, null, null, null);
  }

  static Map<String, String> sso(String issuer) {
    return Map.of("sso.issuer", issuer, "sso.jwks-url", issuer + "/.well-known/jwks.json");
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnKey {
    @Bean
    TokenKey myKey() {
      return TokenKey.hmac("mine", TokenAlgorithm.HS256, SECRET.getBytes(StandardCharsets.UTF_8));
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnService {
    @Bean
    TenantTokenService myTokens(TenantService tenants) {
      return TenantTokenService.builder().issuer("mine").audience("tenancy")
          .key(TokenKey.hmac("k", TokenAlgorithm.HS256, SECRET.getBytes(StandardCharsets.UTF_8)))
          .tenants(id -> tenants.find(id).map(tenants::info)).build();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OneDataSource {
    @Bean
    DataSource dataSource() {
      JdbcDataSource h2 = new JdbcDataSource();
      h2.setURL("jdbc:h2:mem:identity-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
      return h2;
    }
  }
}
