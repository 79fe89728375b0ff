package dev.tenancy.core.alert;

/**
 * Hears every alert the {@link AlertCenter} raises (once per key and period), for example to page someone or push
 * it to a live dashboard.
 *
 * <p>An observer: called on the thread that raised the alert, so hand slow work to another thread; one that throws is
 * logged and ignored.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface AlertListener {

  /**
   * Called once for each alert raised.
   *
   * @param alert the new alert
   */
  void onAlert(Alert alert);
}
