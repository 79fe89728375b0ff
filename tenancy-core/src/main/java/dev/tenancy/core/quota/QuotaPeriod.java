package dev.tenancy.core.quota;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import org.jspecify.annotations.Nullable;

/**
 * A calendar month in a zone, with its bounds and the label its counters' keys carry.
 *
 * @param month the month
 * @param start its first instant
 * @param end the first instant of the next month
 * @param label {@code yyyy-MM}
 */
record QuotaPeriod(YearMonth month, Instant start, Instant end, String label) {

  static QuotaPeriod of(YearMonth month, ZoneId zone) {
    Instant start = month.atDay(1).atStartOfDay(zone).toInstant();
    Instant end = month.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant();
    return new QuotaPeriod(month, start, end, month.toString());
  }

  boolean contains(Instant instant) {
    return !instant.isBefore(start) && instant.isBefore(end);
  }

  /** Finds the period of instants in one zone; remembers the last one so that most calls allocate nothing. */
  static final class Calendar {
    private final ZoneId zone;
    private volatile @Nullable QuotaPeriod last;

    Calendar(ZoneId zone) {
      this.zone = zone;
    }

    QuotaPeriod at(Instant instant) {
      QuotaPeriod period = last;
      if (period != null && period.contains(instant)) {
        return period;
      }
      period = of(YearMonth.from(instant.atZone(zone)), zone);
      last = period;
      return period;
    }

    QuotaPeriod previous(QuotaPeriod period) {
      return of(period.month().minusMonths(1), zone);
    }

    ZoneId zone() {
      return zone;
    }
  }
}
