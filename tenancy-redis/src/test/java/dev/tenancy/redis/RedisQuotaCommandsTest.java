package dev.tenancy.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The GCRA arguments survive rounding to the microseconds the script works in. */
class RedisQuotaCommandsTest {

  /**
   * A rate of 3/s has an emission interval of 333,333.3 µs; rounding the interval and the tolerance separately could
   * shrink a burst of 3 to 2. The burst a full bucket admits must stay exactly what the exact durations give.
   */
  @ParameterizedTest
  @CsvSource({"3, 3", "3, 1", "7, 1000", "1000, 50", "1000000, 10", "1, 1", "30, 7"})
  void toleranceMicros_anyRateAndBurst_keepsTheBurstExact(long perSecond, long burst) {
    Duration interval = Duration.ofNanos(1_000_000_000L / perSecond);
    Duration tolerance = interval.multipliedBy(burst - 1);
    long intervalMicros = RedisQuotaCommands.emissionMicros(interval);
    long toleranceMicros = RedisQuotaCommands.toleranceMicros(interval, tolerance, intervalMicros);
    assertThat(toleranceMicros / intervalMicros + 1).isEqualTo(burst);
    assertThat(Math.abs(intervalMicros * 1000 - interval.toNanos())).isLessThanOrEqualTo(500);
  }

  @ParameterizedTest
  @CsvSource({"1", "999", "0"})
  void emissionMicros_belowAMicrosecond_isOneMicrosecond(long nanos) {
    assertThat(RedisQuotaCommands.emissionMicros(Duration.ofNanos(Math.max(1, nanos)))).isEqualTo(1);
  }
}
