package dev.tenancy.core.identity;

import static dev.tenancy.core.identity.SsoFixtures.ACME_IDP;
import static dev.tenancy.core.identity.SsoFixtures.acmeRs;
import static dev.tenancy.core.identity.SsoFixtures.idpToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Key rotation at a tenant's identity provider, against a JWKS endpoint on 127.0.0.1 that counts its requests: new
 * keys are picked up, removed keys refused, and a flood of made-up kids never becomes a flood of fetches.
 */
class JwksRotationIT {

  private static final Duration INTERVAL = Duration.ofSeconds(10);
  private static final Duration MAX_AGE = Duration.ofMinutes(5);

  private final TokenFixtures f = new TokenFixtures();
  private final JwksServer idp = new JwksServer();
  private final SsoIssuerRegistry sso = new SsoIssuerRegistry();
  private final TenantTokenService tokens;

  JwksRotationIT() throws IOException {
    sso.register(new SsoIssuer(f.acme, ACME_IDP, idp.uri(), "tenancy-app"));
    tokens = f.service().ssoIssuers(sso).allowPlainHttpJwks(true)
        .jwksRefreshInterval(INTERVAL).jwksMaxAge(MAX_AGE).build();
  }

  @AfterEach
  void stop() {
    idp.close();
    f.audit.close();
  }

  @Test
  void newKid_isPickedUp_byARefreshOnTheFirstTokenThatNamesIt() {
    idp.publish(SsoFixtures.acmeJwk("k1"));
    assertThat(tokens.verify(token("k1")).tenant()).isEqualTo(f.acme);
    assertThat(idp.requests()).isEqualTo(1);

    idp.publish(SsoFixtures.acmeJwk("k1"), SsoFixtures.acmeJwk("k2"));
    f.clock.advance(INTERVAL);

    assertThat(tokens.verify(token("k2")).tenant()).isEqualTo(f.acme);
    assertThat(idp.requests()).isEqualTo(2);
    assertThat(tokens.verify(token("k1")).tenant()).isEqualTo(f.acme);
    assertThat(idp.requests()).isEqualTo(2);
  }

  @Test
  void newKid_withinTheIntervalAfterAFetch_waitsForTheNextInterval() {
    idp.publish(SsoFixtures.acmeJwk("k1"));
    tokens.verify(token("k1"));
    idp.publish(SsoFixtures.acmeJwk("k1"), SsoFixtures.acmeJwk("k2"));

    assertRefused(token("k2"), InvalidTokenReason.UNKNOWN_KEY);
    assertThat(idp.requests()).isEqualTo(1);

    f.clock.advance(INTERVAL);
    assertThat(tokens.verify(token("k2")).tenant()).isEqualTo(f.acme);
    assertThat(idp.requests()).isEqualTo(2);
  }

  @Test
  void removedKey_isRefusedAfterTheRefresh_evenForCachedTokens() {
    idp.publish(SsoFixtures.acmeJwk("k1"), SsoFixtures.acmeJwk("k2"));
    String cached = token("k1");
    tokens.verify(cached);
    assertThat(tokens.cachedTokens()).isEqualTo(1);

    idp.publish(SsoFixtures.acmeJwk("k2"), SsoFixtures.acmeJwk("k3"));
    f.clock.advance(INTERVAL);
    assertThat(tokens.verify(token("k3")).tenant()).isEqualTo(f.acme);   // the refresh
    assertThat(idp.requests()).isEqualTo(2);

    assertRefused(cached, InvalidTokenReason.UNKNOWN_KEY);
    assertRefused(token("k1"), InvalidTokenReason.UNKNOWN_KEY);
    assertThat(tokens.verify(token("k2")).tenant()).isEqualTo(f.acme);
  }

  @Test
  void keysOlderThanTheMaximumAge_areFetchedAgain_andARemovedKeyThenRefused() {
    idp.publish(SsoFixtures.acmeJwk("k1"));
    String cached = token("k1");
    tokens.verify(cached);
    idp.publish(SsoFixtures.acmeJwk("k2"));

    f.clock.advance(MAX_AGE);

    assertRefused(cached, InvalidTokenReason.UNKNOWN_KEY);
    assertThat(idp.requests()).isEqualTo(2);
  }

  @Test
  void burstOfTokensWithUnknownKids_causesAtMostOneFetchPerInterval() throws Exception {
    idp.publish(SsoFixtures.acmeJwk("k1"));
    tokens.verify(token("k1"));
    assertThat(idp.requests()).isEqualTo(1);

    f.clock.advance(INTERVAL);
    burstOfUnknownKids(8, 50);
    assertThat(idp.requests()).isEqualTo(2);

    burstOfUnknownKids(8, 50);
    assertThat(idp.requests()).isEqualTo(2);

    f.clock.advance(INTERVAL);
    burstOfUnknownKids(8, 50);
    assertThat(idp.requests()).isEqualTo(3);
  }

  /** {@code threads} threads, released together, each verifying {@code each} tokens with made-up kids. */
  private void burstOfUnknownKids(int threads, int each) throws Exception {
    List<String> forged = new ArrayList<>();
    for (int i = 0; i < threads * each; i++) {
      forged.add(token(UUID.randomUUID().toString()));
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        List<String> mine = forged.subList(t * each, (t + 1) * each);
        results.add(pool.submit(() -> {
          start.await();
          int refused = 0;
          for (String token : mine) {
            try {
              tokens.verify(token);
            } catch (InvalidTokenException e) {
              if (e.reason() == InvalidTokenReason.UNKNOWN_KEY) {
                refused++;
              }
            }
          }
          return refused;
        }));
      }
      start.countDown();
      int refused = 0;
      for (Future<Integer> result : results) {
        refused += result.get(60, TimeUnit.SECONDS);
      }
      assertThat(refused).isEqualTo(threads * each);
    } finally {
      pool.shutdownNow();
    }
  }

  private String token(String kid) {
    return idpToken(f, ACME_IDP, kid).sign(acmeRs());
  }

  private void assertRefused(String token, InvalidTokenReason reason) {
    assertThatThrownBy(() -> tokens.verify(token))
        .isInstanceOfSatisfying(InvalidTokenException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }
}
