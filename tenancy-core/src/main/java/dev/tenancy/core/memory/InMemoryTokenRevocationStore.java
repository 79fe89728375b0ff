package dev.tenancy.core.memory;

import dev.tenancy.core.TenantId;
import dev.tenancy.core.spi.TokenRevocationStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link TokenRevocationStore} in memory: for tests, demos and a single application instance. Nothing survives a
 * restart and nothing is shared between instances.
 *
 * <p>Revoked token ids are forgotten once their token has expired (swept every {@value #SWEEP_EVERY} revocations), so
 * the map holds at most the tokens revoked within one token lifetime.
 *
 * @since 0.1.0
 */
public final class InMemoryTokenRevocationStore implements TokenRevocationStore {

  static final int SWEEP_EVERY = 1024;

  private final Clock clock;
  private final ConcurrentMap<String, Instant> tokens = new ConcurrentHashMap<>();
  private final ConcurrentMap<TenantId, Instant> tenants = new ConcurrentHashMap<>();
  private final AtomicInteger revocations = new AtomicInteger();

  /** Creates an empty store on the system clock. */
  public InMemoryTokenRevocationStore() {
    this(Clock.systemUTC());
  }

  /**
   * Creates an empty store.
   *
   * @param clock tells when a revoked token has expired and may be forgotten
   */
  public InMemoryTokenRevocationStore(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public void revokeToken(String tokenId, Instant expiresAt) {
    Objects.requireNonNull(tokenId, "tokenId");
    Objects.requireNonNull(expiresAt, "expiresAt");
    tokens.merge(tokenId, expiresAt, (a, b) -> a.isAfter(b) ? a : b);
    if (revocations.incrementAndGet() % SWEEP_EVERY == 0) {
      Instant now = clock.instant();
      tokens.values().removeIf(expiry -> expiry.isBefore(now));
    }
  }

  @Override
  public boolean isTokenRevoked(String tokenId) {
    return tokens.containsKey(Objects.requireNonNull(tokenId, "tokenId"));
  }

  @Override
  public void revokeTenantSessions(TenantId tenant, Instant notBefore) {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(notBefore, "notBefore");
    tenants.merge(tenant, notBefore, (a, b) -> a.isAfter(b) ? a : b);
  }

  @Override
  public Optional<Instant> findTenantNotBefore(TenantId tenant) {
    return Optional.ofNullable(tenants.get(Objects.requireNonNull(tenant, "tenant")));
  }

  /** @return how many revoked token ids are remembered; for tests */
  int rememberedTokens() {
    return tokens.size();
  }
}
