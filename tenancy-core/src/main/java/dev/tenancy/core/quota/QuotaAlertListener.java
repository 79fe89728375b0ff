package dev.tenancy.core.quota;

/**
 * Hears that a tenant crossed 80 %, 90 % or 100 % of a limit; raised once per tenant, resource, threshold and period.
 *
 * <p>An observer: called on the thread of the request that crossed the threshold, so hand slow work (mail, tickets)
 * to another thread. A listener that throws is logged and ignored; the request is decided as if it had not been
 * called.
 */
@FunctionalInterface
public interface QuotaAlertListener {

  /**
   * Called once for each threshold a tenant crosses in a period.
   *
   * @param alert which tenant, resource and threshold
   */
  void onAlert(QuotaAlert alert);
}
