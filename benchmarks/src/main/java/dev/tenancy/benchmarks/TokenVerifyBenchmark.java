package dev.tenancy.benchmarks;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.TenantSlug;
import dev.tenancy.core.identity.TenantPrincipal;
import dev.tenancy.core.identity.TenantTokenService;
import dev.tenancy.core.identity.TokenAlgorithm;
import dev.tenancy.core.identity.TokenKey;
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
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What verifying a token costs with {@link TenantTokenService}, uncached and cached, next to java-jwt's bare
 * {@link JWTVerifier} with the same key in the same run, for HS256, RS256 and ES256.
 *
 * <p>The bare verifier checks signature, issuer, audience and times; the service does that and more (the strict claim
 * rules, the tenant lookup, revocation), so {@code *Uncached} reads as "bare plus our checks" and {@code *Cached} as
 * "what a request pays once its token was seen". The cached benchmarks verify a fresh copy of the token string on
 * every call, as a request does (its header is a new string): the cache key's hash is paid each time.
 *
 * <p>Targets: HS256 uncached at most 5 µs, every cached verification at most 1 µs.
 *
 * <p>The class and its state are not {@code final} because JMH's generated code subclasses them.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TokenVerifyBenchmark {

  static final String ISSUER = "https://api.tenancy.bench";
  static final String AUDIENCE = "tenancy";
  static final TenantInfo ACME =
      TenantInfo.of(TenantId.of("3f2b8c1e-6d4a-4f1b-9c7e-2a5d8e0f1b3c"), TenantSlug.of("acme"));
  static final byte[] SECRET = "a-benchmark-secret-of-at-least-32-bytes".getBytes(StandardCharsets.US_ASCII);

  /** Creates the benchmark; JMH instantiates it. */
  public TokenVerifyBenchmark() {
  }

  /** Keys, one token per algorithm, the two services and the bare verifiers. */
  @State(Scope.Benchmark)
  public static class Tokens {
    TenantTokenService uncached;
    TenantTokenService cached;
    JWTVerifier bareHs;
    JWTVerifier bareRs;
    JWTVerifier bareEs;
    String hs;
    String rs;
    String es;

    /** Creates the state; JMH instantiates it. */
    public Tokens() {
    }

    /**
     * Builds keys, tokens and verifiers, and checks that every token passes every verifier.
     *
     * @throws GeneralSecurityException if the JVM cannot make RSA or P-256 keys
     */
    @Setup
    public void setUp() throws GeneralSecurityException {
      KeyPairGenerator rsaGenerator = KeyPairGenerator.getInstance("RSA");
      rsaGenerator.initialize(2048);
      KeyPair rsaPair = rsaGenerator.generateKeyPair();
      KeyPairGenerator ecGenerator = KeyPairGenerator.getInstance("EC");
      ecGenerator.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair ecPair = ecGenerator.generateKeyPair();
      Algorithm hsAlgorithm = Algorithm.HMAC256(SECRET);
      Algorithm rsAlgorithm = Algorithm.RSA256((RSAPublicKey) rsaPair.getPublic(),
          (RSAPrivateKey) rsaPair.getPrivate());
      Algorithm esAlgorithm = Algorithm.ECDSA256((ECPublicKey) ecPair.getPublic(),
          (ECPrivateKey) ecPair.getPrivate());

      uncached = service(rsaPair, ecPair).cacheSize(0).build();
      cached = service(rsaPair, ecPair).build();
      bareHs = JWT.require(hsAlgorithm).withIssuer(ISSUER).withAudience(AUDIENCE).build();
      bareRs = JWT.require(rsAlgorithm).withIssuer(ISSUER).withAudience(AUDIENCE).build();
      bareEs = JWT.require(esAlgorithm).withIssuer(ISSUER).withAudience(AUDIENCE).build();
      hs = token("hs", hsAlgorithm);
      rs = token("rs", rsAlgorithm);
      es = token("es", esAlgorithm);
      for (String token : new String[] {hs, rs, es}) {
        if (!ACME.id().equals(uncached.verify(token).tenant()) || !ACME.id().equals(cached.verify(token).tenant())) {
          throw new IllegalStateException("a benchmark token does not verify");
        }
      }
      bareHs.verify(hs);
      bareRs.verify(rs);
      bareEs.verify(es);
    }

    private static TenantTokenService.Builder service(KeyPair rsaPair, KeyPair ecPair) {
      return TenantTokenService.builder()
          .issuer(ISSUER)
          .audience(AUDIENCE)
          .key(TokenKey.hmac("hs", TokenAlgorithm.HS256, SECRET))
          .key(TokenKey.rsa("rs", (RSAPublicKey) rsaPair.getPublic(), null))
          .key(TokenKey.ec("es", (ECPublicKey) ecPair.getPublic(), null))
          .tenants(id -> id.equals(ACME.id()) ? Optional.of(ACME) : Optional.empty());
    }

    private static String token(String kid, Algorithm algorithm) {
      Instant now = Instant.now();
      return JWT.create().withKeyId(kid).withIssuer(ISSUER).withAudience(AUDIENCE).withSubject("user-1")
          .withClaim("org_id", ACME.id().toString()).withArrayClaim("roles", new String[] {"agent", "viewer"})
          .withIssuedAt(now).withExpiresAt(now.plusSeconds(86_400)).withJWTId("jti-" + kid).sign(algorithm);
    }
  }

  /**
   * @param t the tokens
   * @param bh swallows the result
   */
  @Benchmark
  public void hs256Bare(Tokens t, Blackhole bh) {
    bh.consume(t.bareHs.verify(t.hs));
  }

  /**
   * @param t the tokens
   * @return the principal
   */
  @Benchmark
  public TenantPrincipal hs256Uncached(Tokens t) {
    return t.uncached.verify(t.hs);
  }

  /**
   * @param t the tokens
   * @return the principal
   */
  @Benchmark
  public TenantPrincipal hs256Cached(Tokens t) {
    return t.cached.verify(new String(t.hs));
  }

  /**
   * @param t the tokens
   * @param bh swallows the result
   */
  @Benchmark
  public void rs256Bare(Tokens t, Blackhole bh) {
    bh.consume(t.bareRs.verify(t.rs));
  }

  /**
   * @param t the tokens
   * @return the principal
   */
  @Benchmark
  public TenantPrincipal rs256Uncached(Tokens t) {
    return t.uncached.verify(t.rs);
  }

  /**
   * @param t the tokens
   * @return the principal
   */
  @Benchmark
  public TenantPrincipal rs256Cached(Tokens t) {
    return t.cached.verify(new String(t.rs));
  }

  /**
   * @param t the tokens
   * @param bh swallows the result
   */
  @Benchmark
  public void es256Bare(Tokens t, Blackhole bh) {
    bh.consume(t.bareEs.verify(t.es));
  }

  /**
   * @param t the tokens
   * @return the principal
   */
  @Benchmark
  public TenantPrincipal es256Uncached(Tokens t) {
    return t.uncached.verify(t.es);
  }

  /**
   * @param t the tokens
   * @return the principal
   */
  @Benchmark
  public TenantPrincipal es256Cached(Tokens t) {
    return t.cached.verify(new String(t.es));
  }
}
