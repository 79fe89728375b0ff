package dev.tenancy.core.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenancy.core.TenantId;
import dev.tenancy.core.memory.InMemoryTokenRevocationStore;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The in-memory revocation store remembers what it must, and only as long as it matters. */
class InMemoryTokenRevocationStoreTest {

  private final TestClock clock = new TestClock(TokenFixtures.T0);
  private final InMemoryTokenRevocationStore store = new InMemoryTokenRevocationStore(clock);

  @Test
  void revokedTokens_areRemembered_untilTheyExpire() {
    store.revokeToken("old", clock.instant().plusSeconds(60));
    store.revokeToken("long", clock.instant().plusSeconds(86_400));
    assertThat(store.isTokenRevoked("old")).isTrue();
    assertThat(store.isTokenRevoked("never")).isFalse();

    clock.advance(Duration.ofMinutes(5));
    for (int i = 0; i < 1024; i++) {   // enough revocations to trigger a sweep
      store.revokeToken("filler-" + i, clock.instant().plusSeconds(60));
    }

    assertThat(store.isTokenRevoked("old")).isFalse();
    assertThat(store.isTokenRevoked("long")).isTrue();
  }

  @Test
  void tenantNotBefore_keepsTheLatestInstant() {
    TenantId tenant = TenantId.random();
    assertThat(store.findTenantNotBefore(tenant)).isEmpty();

    store.revokeTenantSessions(tenant, clock.instant().plusSeconds(10));
    store.revokeTenantSessions(tenant, clock.instant());

    assertThat(store.findTenantNotBefore(tenant)).contains(clock.instant().plusSeconds(10));
    assertThat(store.findTenantNotBefore(TenantId.random())).isEmpty();
  }
}
