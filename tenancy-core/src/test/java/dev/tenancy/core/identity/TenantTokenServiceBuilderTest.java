package dev.tenancy.core.identity;

import static dev.tenancy.core.identity.TokenFixtures.AUDIENCE;
import static dev.tenancy.core.identity.TokenFixtures.ISSUER;
import static dev.tenancy.core.identity.TokenFixtures.SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenancy.core.TenancyConfigurationException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Start-up checks: a service that would accept too much is never built, and the message says what to fix. */
class TenantTokenServiceBuilderTest {

  private static TenantTokenService.Builder valid() {
    return TenantTokenService.builder().issuer(ISSUER).audience(AUDIENCE)
        .key(TokenKey.hmac("hs", TokenAlgorithm.HS256, SECRET)).tenants(id -> Optional.empty());
  }

  private static void assertRefused(UnaryOperator<TenantTokenService.Builder> change, String message) {
    assertThatThrownBy(() -> change.apply(valid()).build())
        .isInstanceOf(TenancyConfigurationException.class)
        .hasMessageContaining(message);
  }

  @Test
  void build_withEverythingRequired_works() {
    assertThat(valid().build().issuer()).isEqualTo(ISSUER);
  }

  @Test
  void build_withoutOrWithBlankIssuerOrAudience_isRefused() {
    assertThatThrownBy(() -> TenantTokenService.builder().audience(AUDIENCE)
        .key(TokenKey.hmac("hs", TokenAlgorithm.HS256, SECRET)).tenants(id -> Optional.empty()).build())
        .isInstanceOf(TenancyConfigurationException.class).hasMessageContaining("issuer(");
    assertRefused(b -> b.issuer("  "), "issuer(");
    assertRefused(b -> b.audience(""), "audience(");
    assertThatThrownBy(() -> TenantTokenService.builder().issuer(ISSUER)
        .key(TokenKey.hmac("hs", TokenAlgorithm.HS256, SECRET)).tenants(id -> Optional.empty()).build())
        .isInstanceOf(TenancyConfigurationException.class).hasMessageContaining("audience(");
  }

  @Test
  void build_withoutKeysOrTenantLookup_isRefused() {
    assertThatThrownBy(() -> TenantTokenService.builder().issuer(ISSUER).audience(AUDIENCE)
        .tenants(id -> Optional.empty()).build())
        .isInstanceOf(TenancyConfigurationException.class).hasMessageContaining("at least one key");
    assertThatThrownBy(() -> TenantTokenService.builder().issuer(ISSUER).audience(AUDIENCE)
        .key(TokenKey.hmac("hs", TokenAlgorithm.HS256, SECRET)).build())
        .isInstanceOf(TenancyConfigurationException.class).hasMessageContaining("tenants(");
  }

  @Test
  void build_withOptionsOutOfRange_isRefused() {
    assertRefused(b -> b.leeway(Duration.ofMinutes(10)), "leeway");
    assertRefused(b -> b.leeway(Duration.ofSeconds(-1)), "leeway");
    assertRefused(b -> b.maxTokenLength(10), "maxTokenLength");
    assertRefused(b -> b.cacheSize(-1), "cacheSize");
    assertRefused(b -> b.maxTokenLifetime(Duration.ZERO), "maxTokenLifetime");
    assertRefused(b -> b.jwksRefreshInterval(Duration.ZERO), "jwksRefreshInterval");
  }

  @Test
  void signingKey_mustNameAKeyThatCanSign_andIsRequiredWhenSeveralCan() {
    assertRefused(b -> b.signingKey("nope"), "names no configured key");
    assertRefused(b -> b.key(TokenKey.rsa("rs", (RSAPublicKey) TokenFixtures.RSA.getPublic(), null))
        .signingKey("rs"), "no private key");
    assertRefused(b -> b.key(TokenKey.hmac("hs2", TokenAlgorithm.HS256, SECRET)), "signingKey(kid)");
    assertThat(valid().key(TokenKey.hmac("hs2", TokenAlgorithm.HS256, SECRET)).signingKey("hs2").build())
        .isNotNull();
  }

  @Test
  void key_withADuplicateKid_isRefused() {
    assertThatThrownBy(() -> valid().key(TokenKey.hmac("hs", TokenAlgorithm.HS256, SECRET)))
        .isInstanceOf(TenancyConfigurationException.class).hasMessageContaining("own id");
  }

  @Test
  void hmacKey_shorterThanTheHashOutput_isRefused() {
    byte[] thirtyOne = new byte[31];
    byte[] thirtyTwo = "exactly-thirty-two-bytes-long-ok".getBytes(StandardCharsets.US_ASCII);
    assertThat(thirtyTwo).hasSize(32);

    assertThatThrownBy(() -> TokenKey.hmac("k", TokenAlgorithm.HS256, thirtyOne))
        .isInstanceOf(TenancyConfigurationException.class).hasMessageContaining("at least 32");
    assertThat(TokenKey.hmac("k", TokenAlgorithm.HS256, thirtyTwo).canSign()).isTrue();
    assertThatThrownBy(() -> TokenKey.hmac("k", TokenAlgorithm.HS384, thirtyTwo))
        .isInstanceOf(TenancyConfigurationException.class).hasMessageContaining("at least 48");
    assertThatThrownBy(() -> TokenKey.hmac("k", TokenAlgorithm.HS512, new byte[48]))
        .isInstanceOf(TenancyConfigurationException.class).hasMessageContaining("at least 64");
    assertThatThrownBy(() -> TokenKey.hmac("k", TokenAlgorithm.RS256, thirtyTwo))
        .isInstanceOf(TenancyConfigurationException.class).hasMessageContaining("not an HMAC");
    assertThatThrownBy(() -> TokenKey.hmac(" ", TokenAlgorithm.HS256, thirtyTwo))
        .isInstanceOf(TenancyConfigurationException.class).hasMessageContaining("kid");
  }

  @Test
  void rsaKey_shorterThan2048Bits_orWithAForeignPrivateKey_isRefused() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(1024);
    KeyPair weak = generator.generateKeyPair();

    assertThatThrownBy(() -> TokenKey.rsa("r", (RSAPublicKey) weak.getPublic(), null))
        .isInstanceOf(TenancyConfigurationException.class).hasMessageContaining("2048");
    assertThatThrownBy(() -> TokenKey.rsa("r", (RSAPublicKey) TokenFixtures.RSA.getPublic(),
        (RSAPrivateKey) weak.getPrivate()))
        .isInstanceOf(TenancyConfigurationException.class).hasMessageContaining("does not belong");
  }

  @Test
  void ecKey_offP256_isRefused() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp384r1"));
    KeyPair p384 = generator.generateKeyPair();

    assertThatThrownBy(() -> TokenKey.ec("e", (ECPublicKey) p384.getPublic(), (ECPrivateKey) p384.getPrivate()))
        .isInstanceOf(TenancyConfigurationException.class).hasMessageContaining("P-256");
    assertThat(TokenKey.ec("e", (ECPublicKey) TokenFixtures.EC.getPublic(), null).canSign()).isFalse();
  }

  @Test
  void tokenKey_toString_neverShowsKeyMaterial() {
    String text = TokenKey.hmac("hs", TokenAlgorithm.HS256, SECRET).toString();

    assertThat(text).contains("hs", "HS256").doesNotContain(new String(SECRET, StandardCharsets.US_ASCII));
  }
}
