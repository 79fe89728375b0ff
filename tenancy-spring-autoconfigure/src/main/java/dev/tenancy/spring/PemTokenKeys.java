package dev.tenancy.spring;

import dev.tenancy.core.TenancyConfigurationException;
import dev.tenancy.core.identity.TokenKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.ssl.pem.PemContent;
import org.springframework.core.io.Resource;

/**
 * Reads an RS256 or ES256 {@link TokenKey} from the PEM files named by {@code tenancy.tokens.public-key-location} and
 * {@code tenancy.tokens.private-key-location}. Spring Boot's {@link PemContent} parses certificates and private keys
 * (PKCS#8, PKCS#1, SEC1); a bare {@code PUBLIC KEY} block is an X.509 SubjectPublicKeyInfo read here.
 */
final class PemTokenKeys {

  private static final String PUBLIC = "tenancy.tokens.public-key-location";
  private static final String PRIVATE = "tenancy.tokens.private-key-location";
  private static final Pattern PUBLIC_KEY = Pattern.compile(
      "-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\\s]+)-----END PUBLIC KEY-----");

  private PemTokenKeys() {
  }

  static TokenKey read(@Nullable String kid, Resource publicKey, @Nullable Resource privateKey) {
    PublicKey verifying = publicKey(publicKey);
    PrivateKey signing = privateKey == null ? null : privateKey(privateKey);
    try {
      if (verifying instanceof RSAPublicKey rsa) {
        RSAPrivateKey rsaSigning = (RSAPrivateKey) requireType(signing, RSAPrivateKey.class);
        return TokenKey.rsa(kid == null ? "rs256" : kid, rsa, rsaSigning);
      }
      if (verifying instanceof ECPublicKey ec) {
        ECPrivateKey ecSigning = (ECPrivateKey) requireType(signing, ECPrivateKey.class);
        return TokenKey.ec(kid == null ? "es256" : kid, ec, ecSigning);
      }
    } catch (TenancyConfigurationException e) {
      throw new TenancyPropertyException(PUBLIC, "The PEM token key is unusable: " + e.getMessage() + ".",
          "Set " + PUBLIC + " (and " + PRIVATE + ") to an RSA key of at least 2048 bits or an EC P-256 key pair.", e);
    }
    throw new TenancyPropertyException(PUBLIC, PUBLIC + " holds a " + verifying.getAlgorithm() + " key.",
        "Use an RSA (RS256) or EC P-256 (ES256) key.");
  }

  private static @Nullable PrivateKey requireType(@Nullable PrivateKey key, Class<? extends PrivateKey> type) {
    if (key != null && !type.isInstance(key)) {
      throw new TenancyPropertyException(PRIVATE, PRIVATE + " holds a " + key.getAlgorithm()
          + " key, which does not match the public key.", "Point " + PRIVATE + " at the public key's private key.");
    }
    return key;
  }

  private static PublicKey publicKey(Resource resource) {
    String text = text(resource, PUBLIC);
    try {
      Matcher bare = PUBLIC_KEY.matcher(text);
      if (bare.find()) {
        byte[] der = Base64.getMimeDecoder().decode(bare.group(1).getBytes(StandardCharsets.US_ASCII));
        return decode(der);
      }
      List<java.security.cert.X509Certificate> certificates = PemContent.of(text).getCertificates();
      if (!certificates.isEmpty()) {
        return certificates.get(0).getPublicKey();
      }
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw unreadable(PUBLIC, e);
    }
    throw new TenancyPropertyException(PUBLIC, PUBLIC + " holds neither a PUBLIC KEY nor a CERTIFICATE PEM block.",
        "Point it at a PEM public key, e.g. the output of `openssl pkey -in key.pem -pubout`.");
  }

  private static PublicKey decode(byte[] der) {
    for (String algorithm : new String[] {"RSA", "EC"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
      } catch (GeneralSecurityException notThisOne) {
        // try the next algorithm
      }
    }
    throw new IllegalArgumentException("the PUBLIC KEY block is neither an RSA nor an EC key");
  }

  private static PrivateKey privateKey(Resource resource) {
    try {
      PrivateKey key = PemContent.of(text(resource, PRIVATE)).getPrivateKey();
      if (key == null) {
        throw new TenancyPropertyException(PRIVATE, PRIVATE + " holds no PRIVATE KEY PEM block.",
            "Point it at an unencrypted PEM private key (PKCS#8, PKCS#1 or SEC1).");
      }
      return key;
    } catch (IllegalStateException | IllegalArgumentException e) {
      throw unreadable(PRIVATE, e);
    }
  }

  private static String text(Resource resource, String property) {
    try (InputStream in = resource.getInputStream()) {
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new TenancyPropertyException(property, property + " cannot be read (" + resource.getDescription() + ": "
          + e.getMessage() + ").", "Point " + property + " at a readable PEM file, e.g. file:/etc/app/jwt.pem.", e);
    }
  }

  private static TenancyPropertyException unreadable(String property, RuntimeException e) {
    return new TenancyPropertyException(property, property + " is not a readable PEM key: " + e.getMessage() + ".",
        "Point " + property + " at a PEM file written by e.g. openssl.", e);
  }
}
