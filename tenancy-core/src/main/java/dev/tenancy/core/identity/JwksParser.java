package dev.tenancy.core.identity;

import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.EllipticCurve;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a JWK Set (RFC 7517) into verification keys: RSA keys (at least 2048 bits) for RS256 and EC P-256 keys for
 * ES256. Everything else is skipped with a warning: symmetric ({@code oct}) keys, encryption keys, other curves and
 * algorithms, keys without a {@code kid}, and every key whose {@code kid} appears twice (which one would be meant?).
 */
final class JwksParser {

  private static final Logger LOG = LoggerFactory.getLogger(JwksParser.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final int MAX_KEYS = 100;
  private static final ECParameterSpec P256 = p256();

  private JwksParser() {
  }

  /**
   * @param json the JWKS document
   * @param source for log messages
   * @return the usable keys by kid
   * @throws IOException if the document is not JSON with a {@code keys} array
   */
  static Map<String, VerificationKey> parse(byte[] json, String source) throws IOException {
    JsonNode root = JSON.readTree(json);
    JsonNode keys = root == null ? null : root.get("keys");
    if (keys == null || !keys.isArray()) {
      throw new IOException("not a JWK Set: no \"keys\" array");
    }
    Map<String, VerificationKey> result = new HashMap<>();
    Set<String> duplicated = new HashSet<>();
    int index = 0;
    for (JsonNode jwk : keys) {
      if (index++ >= MAX_KEYS) {
        LOG.warn("JWKS of {} has more than {} keys; the rest are ignored", source, MAX_KEYS);
        break;
      }
      VerificationKey key = key(jwk, source);
      if (key == null) {
        continue;
      }
      if (result.putIfAbsent(key.kid(), key) != null) {
        duplicated.add(key.kid());
      }
    }
    for (String kid : duplicated) {
      LOG.warn("JWKS of {} has several keys with kid '{}'; none of them is trusted", source, kid);
      result.remove(kid);
    }
    return Map.copyOf(result);
  }

  private static @Nullable VerificationKey key(JsonNode jwk, String source) {
    String kid = text(jwk, "kid");
    String kty = text(jwk, "kty");
    String use = text(jwk, "use");
    String alg = text(jwk, "alg");
    if (kid == null || kid.isBlank() || kty == null) {
      LOG.warn("JWKS of {}: skipping a key without kid or kty", source);
      return null;
    }
    if (use != null && !use.equals("sig")) {
      return null;   // an encryption key: not for us
    }
    try {
      if (kty.equals("RSA") && (alg == null || alg.equals("RS256"))) {
        return rsa(kid, jwk, source);
      }
      if (kty.equals("EC") && (alg == null || alg.equals("ES256"))) {
        return ec(kid, jwk, source);
      }
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      LOG.warn("JWKS of {}: skipping key '{}': {}", source, kid, e.getMessage());
      return null;
    }
    LOG.warn("JWKS of {}: skipping key '{}' of type {} / algorithm {}; only RS256 and ES256 keys are used", source,
        kid, kty, alg);
    return null;
  }

  private static @Nullable VerificationKey rsa(String kid, JsonNode jwk, String source)
      throws GeneralSecurityException {
    BigInteger n = unsigned(jwk, "n");
    BigInteger e = unsigned(jwk, "e");
    if (n.bitLength() < 2048) {
      LOG.warn("JWKS of {}: skipping RSA key '{}' of {} bits; at least 2048 are required", source, kid, n.bitLength());
      return null;
    }
    RSAPublicKey key = (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e));
    return new VerificationKey(kid, TokenAlgorithm.RS256, Algorithm.RSA256(key, null));
  }

  private static @Nullable VerificationKey ec(String kid, JsonNode jwk, String source)
      throws GeneralSecurityException {
    if (!"P-256".equals(text(jwk, "crv"))) {
      LOG.warn("JWKS of {}: skipping EC key '{}' not on P-256", source, kid);
      return null;
    }
    BigInteger x = unsigned(jwk, "x");
    BigInteger y = unsigned(jwk, "y");
    if (!onCurve(x, y)) {
      LOG.warn("JWKS of {}: skipping EC key '{}': its point is not on P-256", source, kid);
      return null;
    }
    ECPublicKey key = (ECPublicKey) KeyFactory.getInstance("EC")
        .generatePublic(new ECPublicKeySpec(new ECPoint(x, y), P256));
    return new VerificationKey(kid, TokenAlgorithm.ES256, Algorithm.ECDSA256(key, null));
  }

  /** y² = x³ + ax + b (mod p), with both coordinates in the field. */
  private static boolean onCurve(BigInteger x, BigInteger y) {
    EllipticCurve curve = P256.getCurve();
    BigInteger p = ((java.security.spec.ECFieldFp) curve.getField()).getP();
    if (x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
      return false;
    }
    BigInteger left = y.multiply(y).mod(p);
    BigInteger right = x.pow(3).add(curve.getA().multiply(x)).add(curve.getB()).mod(p);
    return left.equals(right);
  }

  private static BigInteger unsigned(JsonNode jwk, String field) {
    String value = text(jwk, field);
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("missing " + field);
    }
    return new BigInteger(1, Base64.getUrlDecoder().decode(value));
  }

  private static @Nullable String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.isTextual() ? value.asText() : null;
  }

  private static ECParameterSpec p256() {
    try {
      AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
      parameters.init(new ECGenParameterSpec("secp256r1"));
      return parameters.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM lacks curve P-256 (secp256r1)", e);
    }
  }
}
