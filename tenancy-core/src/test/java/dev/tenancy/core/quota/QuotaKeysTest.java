package dev.tenancy.core.quota;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenancy.core.TenantId;
import java.time.YearMonth;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * The keys are a storage format (Redis holds them, usage stores persist the names), so their spelling must not move;
 * and they are kept per tenant so that a check neither allocates nor rehashes them.
 */
class QuotaKeysTest {

  private static final TenantId ACME = TenantId.of("3f2b8c1e-6d4a-4f1b-9c7e-2a5d8e0f1b3c");
  private static final QuotaPeriod JANUARY = QuotaPeriod.of(YearMonth.of(2026, 1), ZoneOffset.UTC);
  private static final QuotaPeriod FEBRUARY = QuotaPeriod.of(YearMonth.of(2026, 2), ZoneOffset.UTC);

  private final QuotaKeys keys = new QuotaKeys("tenancy:quota:");

  @Test
  void keys_spelledWithTheTenantAsHashTag() {
    assertThat(keys.rate(ACME)).isEqualTo("tenancy:quota:{3f2b8c1e-6d4a-4f1b-9c7e-2a5d8e0f1b3c}:rate");
    assertThat(keys.users(ACME)).isEqualTo("tenancy:quota:{3f2b8c1e-6d4a-4f1b-9c7e-2a5d8e0f1b3c}:users");
    assertThat(keys.apiCallsName(ACME)).isEqualTo("{3f2b8c1e-6d4a-4f1b-9c7e-2a5d8e0f1b3c}:apiCalls");
    assertThat(keys.counter(keys.apiCallsName(ACME), JANUARY))
        .isEqualTo("tenancy:quota:{3f2b8c1e-6d4a-4f1b-9c7e-2a5d8e0f1b3c}:apiCalls:2026-01");
  }

  @Test
  void counter_periodChangesBackAndForth_keyFollowsThePeriod() {
    String name = keys.apiCallsName(ACME);

    assertThat(keys.counter(name, JANUARY)).endsWith(":apiCalls:2026-01");
    assertThat(keys.counter(name, FEBRUARY)).endsWith(":apiCalls:2026-02");
    assertThat(keys.counter(name, JANUARY)).endsWith(":apiCalls:2026-01");
  }

  @Test
  void keys_sameTenantAgain_sameInstancesWhoseHashIsAlreadyKnown() {
    TenantId sameTenantOtherInstance = TenantId.of(ACME.toString());

    assertThat(keys.rate(sameTenantOtherInstance)).isSameAs(keys.rate(ACME));
    assertThat(keys.apiCallsName(sameTenantOtherInstance)).isSameAs(keys.apiCallsName(ACME));
    assertThat(keys.counter(keys.apiCallsName(ACME), JANUARY)).isSameAs(keys.counter(keys.apiCallsName(ACME), JANUARY));
  }

  /** The usage persister and {@code QuotaManager.usage} read the counter a request counts on through the other path. */
  @Test
  void apiCallsCounter_keptWithTheTenant_isTheKeyTheCounterPathSpells() {
    QuotaKeys.TenantKeys acme = keys.of(ACME);

    String january = keys.apiCallsCounter(acme, JANUARY);

    assertThat(january).isEqualTo(keys.counter(keys.apiCallsName(ACME), JANUARY))
        .isEqualTo("tenancy:quota:{3f2b8c1e-6d4a-4f1b-9c7e-2a5d8e0f1b3c}:apiCalls:2026-01");
    assertThat(keys.apiCallsCounter(keys.of(TenantId.of(ACME.toString())), JANUARY)).isSameAs(january);
  }

  @Test
  void apiCallsCounter_monthTurnsAndAnEqualPeriodComesBack_keyFollowsThePeriod() {
    QuotaKeys.TenantKeys acme = keys.of(ACME);
    QuotaPeriod januaryAgain = QuotaPeriod.of(YearMonth.of(2026, 1), ZoneOffset.UTC);

    assertThat(keys.apiCallsCounter(acme, JANUARY)).endsWith(":apiCalls:2026-01");
    assertThat(keys.apiCallsCounter(acme, FEBRUARY)).endsWith(":apiCalls:2026-02");
    assertThat(keys.apiCallsCounter(acme, januaryAgain)).endsWith(":apiCalls:2026-01");
    assertThat(keys.apiCallsCounter(acme, JANUARY)).endsWith(":apiCalls:2026-01");
  }
}
