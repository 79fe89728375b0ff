package dev.tenancy.core.identity;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys of one SSO issuer, fetched from its JWKS URL on first use, again when older than the maximum age, and
 * again when a token names an unknown {@code kid} — but never more than once per minimum interval, however many
 * tokens with unknown kids arrive (a flood of made-up kids must not become a flood of requests to the identity
 * provider). A refresh replaces the whole set, so a key the provider removed is refused from then on. A failed fetch
 * keeps the keys known so far.
 */
final class JwksKeySet {

  private static final Logger LOG = LoggerFactory.getLogger(JwksKeySet.class);

  private record Snapshot(Map<String, VerificationKey> keys, Instant fetchedAt) {
  }

  private final SsoIssuer issuer;
  private final JwksClient client;
  private final Clock clock;
  private final Duration minInterval;
  private final Duration maxAge;
  private final AtomicLong fetches = new AtomicLong();
  private volatile @Nullable Snapshot snapshot;
  private @Nullable Instant lastAttempt;   // guarded by this

  JwksKeySet(SsoIssuer issuer, JwksClient client, Clock clock, Duration minInterval, Duration maxAge) {
    this.issuer = issuer;
    this.client = client;
    this.clock = clock;
    this.minInterval = minInterval;
    this.maxAge = maxAge;
  }

  /**
   * Finds a key, fetching the set if it was never fetched, is too old, or lacks the kid (each subject to the minimum
   * interval).
   *
   * @return the key, or {@code null} if the issuer has none with that kid
   * @throws IOException if the set was never fetched successfully
   */
  @Nullable VerificationKey find(String kid) throws IOException {
    Instant now = clock.instant();
    Snapshot current = snapshot;
    if (current == null || !now.isBefore(current.fetchedAt().plus(maxAge))) {
      current = refresh(now);
    }
    VerificationKey key = current == null ? null : current.keys().get(kid);
    if (key == null) {
      current = refresh(now);
      key = current == null ? null : current.keys().get(kid);
    }
    if (current == null) {
      throw new IOException("the keys of " + issuer.issuer() + " could not be fetched");
    }
    return key;
  }

  /**
   * The key currently known under that kid, without fetching: for re-checking a cached token. Keys older than the
   * maximum age count as unknown, so that a cached token goes through {@link #find} again, which refetches them.
   */
  @Nullable VerificationKey current(String kid) {
    Snapshot current = snapshot;
    if (current == null || !clock.instant().isBefore(current.fetchedAt().plus(maxAge))) {
      return null;
    }
    return current.keys().get(kid);
  }

  long fetches() {
    return fetches.get();
  }

  private synchronized @Nullable Snapshot refresh(Instant now) {
    // A caller that waited here while another fetched finds lastAttempt recent and uses that fetch's result.
    if (lastAttempt != null && now.isBefore(lastAttempt.plus(minInterval))) {
      return snapshot;
    }
    lastAttempt = clock.instant();
    fetches.incrementAndGet();
    try {
      Map<String, VerificationKey> keys = client.fetch(issuer.jwksUri());
      snapshot = new Snapshot(keys, lastAttempt);
      LOG.debug("fetched {} keys of SSO issuer {} (tenant {})", keys.size(), issuer.issuer(), issuer.tenant());
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not fetch the keys of SSO issuer {} (tenant {}) from {}: {}; keeping the {} keys known so far",
          issuer.issuer(), issuer.tenant(), issuer.jwksUri(), e.getMessage(),
          snapshot == null ? 0 : snapshot.keys().size());
    }
    return snapshot;
  }
}
