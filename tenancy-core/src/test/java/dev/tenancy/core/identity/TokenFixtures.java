package dev.tenancy.core.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTCreator;
import com.auth0.jwt.algorithms.Algorithm;
import dev.tenancy.core.EffectiveConfiguration;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.TenantSlug;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.audit.AuditEvent;
import dev.tenancy.core.audit.AuditLog;
import dev.tenancy.core.audit.AuditRecord;
import dev.tenancy.core.memory.InMemoryAuditSink;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/** Keys, tenants, an audit trail and token makers for the token tests: real java-jwt tokens, and hand-made ones. */
final class TokenFixtures {

  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  static final String ISSUER = "https://api.tenancy.test";
  static final String AUDIENCE = "tenancy";
  static final byte[] SECRET = "hs256-secret-for-tests-0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  static final byte[] OLD_SECRET = "an-older-hs256-secret-0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  static final KeyPair RSA = rsa();
  static final KeyPair EC = ec();

  final TestClock clock = new TestClock(T0);
  final Map<TenantId, TenantInfo> tenants = new ConcurrentHashMap<>();
  final TenantId acme = tenant("acme", TenantStatus.ACTIVE);
  final TenantId globex = tenant("globex", TenantStatus.TRIAL);
  final TenantId suspended = tenant("initech", TenantStatus.SUSPENDED);
  final InMemoryAuditSink sink = new InMemoryAuditSink();
  final AuditLog audit = AuditLog.builder().sink(sink).build();

  TenantId tenant(String slug, TenantStatus status) {
    TenantId id = TenantId.random();
    setStatus(id, slug, status);
    return id;
  }

  void setStatus(TenantId id, String slug, TenantStatus status) {
    tenants.put(id, new TenantInfo(id, TenantSlug.of(slug), status, EffectiveConfiguration.none()));
  }

  Optional<TenantInfo> lookup(TenantId id) {
    return Optional.ofNullable(tenants.get(id));
  }

  /** A service with an HS256 signing key "hs", an older HS256 key "hs-old", and verify-only RS256 "rs" and ES256 "es". */
  TenantTokenService.Builder service() {
    return TenantTokenService.builder()
        .issuer(ISSUER)
        .audience(AUDIENCE)
        .key(TokenKey.hmac("hs", TokenAlgorithm.HS256, SECRET))
        .key(TokenKey.hmac("hs-old", TokenAlgorithm.HS256, OLD_SECRET))
        .key(TokenKey.rsa("rs", (RSAPublicKey) RSA.getPublic(), null))
        .key(TokenKey.ec("es", (ECPublicKey) EC.getPublic(), null))
        .signingKey("hs")
        .tenants(this::lookup)
        .clock(clock)
        .audit(audit);
  }

  /** The claims of a valid token for {@code tenant}, signed by nothing yet. */
  JWTCreator.Builder claims(TenantId tenant) {
    return JWT.create()
        .withIssuer(ISSUER)
        .withAudience(AUDIENCE)
        .withSubject("user-1")
        .withClaim("org_id", tenant.toString())
        .withArrayClaim("roles", new String[] {"agent"})
        .withIssuedAt(clock.instant())
        .withExpiresAt(clock.instant().plusSeconds(900))
        .withJWTId("jti-" + System.nanoTime());
  }

  static Algorithm hs() {
    return Algorithm.HMAC256(SECRET);
  }

  static Algorithm rs() {
    return Algorithm.RSA256((RSAPublicKey) RSA.getPublic(), (RSAPrivateKey) RSA.getPrivate());
  }

  static Algorithm es() {
    return Algorithm.ECDSA256((ECPublicKey) EC.getPublic(), (ECPrivateKey) EC.getPrivate());
  }

  String hsToken(TenantId tenant) {
    return claims(tenant).withKeyId("hs").sign(hs());
  }

  static String b64(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  static String json(String base64url) {
    return new String(Base64.getUrlDecoder().decode(base64url), StandardCharsets.UTF_8);
  }

  /** Signs hand-written header and payload JSON exactly as given. */
  static String signRaw(String header, String payload, Algorithm algorithm) {
    String h = b64(header);
    String p = b64(payload);
    byte[] signature = algorithm.sign(h.getBytes(StandardCharsets.US_ASCII), p.getBytes(StandardCharsets.US_ASCII));
    return h + "." + p + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
  }

  /** A valid payload for {@code tenant}, with {@code extra} JSON members (",\"x\":1") appended or replacing nothing. */
  String payload(String orgIdJson, String extra) {
    long now = clock.instant().getEpochSecond();
    return "{\"iss\":\"" + ISSUER + "\",\"aud\":\"" + AUDIENCE + "\",\"sub\":\"user-1\",\"org_id\":" + orgIdJson
        + ",\"roles\":[\"agent\"],\"iat\":" + now + ",\"exp\":" + (now + 900) + ",\"jti\":\"j-" + System.nanoTime()
        + "\"" + extra + "}";
  }

  /** Every event recorded so far, oldest first, from every chain. */
  List<AuditEvent> events() {
    audit.flush();
    List<AuditEvent> events = new ArrayList<>();
    for (String chain : sink.chains()) {
      try (Stream<AuditRecord> records = sink.read(chain, 1, AuditRecord.MAX_SEQUENCE)) {
        records.forEach(r -> events.add(r.event()));
      }
    }
    events.sort(Comparator.comparing(AuditEvent::timestamp));
    return events;
  }

  /** Checks that the audit trail holds no trace of the token or of any of its parts. */
  void assertNoTokenIn(List<AuditEvent> events, String token) {
    List<String> fragments = new ArrayList<>();
    for (String part : token.split("\\.")) {
      if (part.length() >= 8) {
        fragments.add(part.substring(0, 8));
      }
    }
    for (AuditEvent event : events) {
      String text = event.toString();
      for (String fragment : fragments) {
        assertThat(text).doesNotContain(fragment);
      }
    }
  }

  private static KeyPair rsa() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair ec() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
