package dev.tenancy.core.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Only signing keys we can use safely come out of a JWK Set. */
class JwksParserTest {

  static String rsaJwk(String kid, RSAPublicKey key, String extra) {
    return "{\"kty\":\"RSA\",\"kid\":\"" + kid + "\",\"n\":\"" + b64(key.getModulus()) + "\",\"e\":\""
        + b64(key.getPublicExponent()) + "\"" + extra + "}";
  }

  static String ecJwk(String kid, ECPublicKey key, String extra) {
    return "{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"" + kid + "\",\"x\":\"" + b64(key.getW().getAffineX())
        + "\",\"y\":\"" + b64(key.getW().getAffineY()) + "\"" + extra + "}";
  }

  static String jwks(String... keys) {
    return "{\"keys\":[" + String.join(",", keys) + "]}";
  }

  static String b64(BigInteger value) {
    byte[] bytes = value.toByteArray();
    if (bytes[0] == 0 && bytes.length > 1) {
      bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static Map<String, VerificationKey> parse(String json) throws IOException {
    return JwksParser.parse(json.getBytes(StandardCharsets.UTF_8), "test");
  }

  @Test
  void parse_rsaAndEcSigningKeys_withTheirAlgorithms() throws IOException {
    Map<String, VerificationKey> keys = parse(jwks(
        rsaJwk("r1", (RSAPublicKey) TokenFixtures.RSA.getPublic(), ",\"use\":\"sig\",\"alg\":\"RS256\""),
        ecJwk("e1", (ECPublicKey) TokenFixtures.EC.getPublic(), "")));

    assertThat(keys).containsOnlyKeys("r1", "e1");
    assertThat(keys.get("r1").algorithm()).isEqualTo(TokenAlgorithm.RS256);
    assertThat(keys.get("e1").algorithm()).isEqualTo(TokenAlgorithm.ES256);
  }

  @Test
  void parse_skipsKeysWeMustNotTrust() throws Exception {
    KeyPairGenerator weak = KeyPairGenerator.getInstance("RSA");
    weak.initialize(1024);
    RSAPublicKey rsa = (RSAPublicKey) TokenFixtures.RSA.getPublic();
    ECPublicKey ec = (ECPublicKey) TokenFixtures.EC.getPublic();
    String offCurve = "{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"off\",\"x\":\"" + b64(BigInteger.ONE)
        + "\",\"y\":\"" + b64(BigInteger.TWO) + "\"}";

    Map<String, VerificationKey> keys = parse(jwks(
        "{\"kty\":\"oct\",\"kid\":\"sym\",\"k\":\"c2VjcmV0\"}",
        rsaJwk("weak", (RSAPublicKey) weak.generateKeyPair().getPublic(), ""),
        rsaJwk("enc", rsa, ",\"use\":\"enc\""),
        rsaJwk("rs384", rsa, ",\"alg\":\"RS384\""),
        rsaJwk("hs-claimed", rsa, ",\"alg\":\"HS256\""),
        ecJwk("p384", ec, "").replace("P-256", "P-384"),
        offCurve,
        rsaJwk("", rsa, ""),
        "{\"kty\":\"RSA\",\"kid\":\"broken\",\"n\":\"!!!\",\"e\":\"AQAB\"}",
        rsaJwk("twice", rsa, ""), ecJwk("twice", ec, ""),
        rsaJwk("good", rsa, "")));

    assertThat(keys).containsOnlyKeys("good");
  }

  @Test
  void parse_aDocumentWithoutKeys_fails() {
    assertThatThrownBy(() -> parse("{\"nokeys\":[]}")).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> parse("not json")).isInstanceOf(IOException.class);
  }
}
