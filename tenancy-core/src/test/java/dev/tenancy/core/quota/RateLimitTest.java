package dev.tenancy.core.quota;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The GCRA parameters of a rate, which {@link RateLimit#of} keeps for rates in use. */
class RateLimitTest {

  @Test
  void of_rate_burstOfTwiceTheRateAndToleranceOfBurstMinusOneIntervals() {
    RateLimit limit = RateLimit.of(4);

    assertThat(limit).isEqualTo(new RateLimit(4, 8, Duration.ofMillis(250), Duration.ofMillis(1750)));
  }

  @Test
  void of_ratesSharingAKeptSlot_eachGetsItsOwnParameters() {
    // 1 and 65 fall into the same of the 64 slots: a lookup that ignored the rate would answer 1/s for 65/s.
    assertThat(RateLimit.of(1)).extracting(RateLimit::perSecond, RateLimit::burst).containsExactly(1L, 2L);
    assertThat(RateLimit.of(65)).extracting(RateLimit::perSecond, RateLimit::burst).containsExactly(65L, 130L);
    assertThat(RateLimit.of(1)).extracting(RateLimit::perSecond, RateLimit::burst).containsExactly(1L, 2L);
  }

  @Test
  void of_aboveOneBillionPerSecond_cannotBind() {
    assertThat(RateLimit.of(1_000_000_001L)).isNull();
  }
}
