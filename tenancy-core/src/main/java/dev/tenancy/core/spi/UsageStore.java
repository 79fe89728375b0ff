package dev.tenancy.core.spi;

import java.time.YearMonth;
import java.util.Map;

/**
 * Durable storage for monthly usage counters, so that a restart of an instance (and of an in-memory
 * {@link QuotaStore}) does not hand a tenant a fresh month. {@code dev.tenancy.core.quota.QuotaManager} loads the
 * current month's counters when it is built and saves the changed ones periodically and when it is closed.
 *
 * <p>Counters only grow within a period, and several instances may save the same counter from reads taken at
 * different moments, so {@link #save} keeps the <em>greater</em> of the stored and the given value: an older save can
 * never lower a newer one.
 *
 * @since 0.1.0
 */
public interface UsageStore {

  /**
   * Reads every counter saved for a period.
   *
   * @param period the calendar month (in the quota manager's zone)
   * @return the counters by name; empty if none were saved
   * @throws dev.tenancy.core.TenancyException if the storage cannot be read; the quota manager then refuses to start
   *     rather than forget the month's usage
   */
  Map<String, Long> load(YearMonth period);

  /**
   * Inserts or raises counters of a period, all in one batch: a stored counter becomes
   * {@code max(stored, given)}.
   *
   * @param counters the counters by name (names at most 200 characters), values not negative
   * @param period the calendar month they belong to
   * @throws dev.tenancy.core.TenancyException if the storage cannot be written; nothing or everything is saved
   */
  void save(Map<String, Long> counters, YearMonth period);
}
