/**
 * Platform alerts: quota thresholds, SLA breaches and security events, raised once per key and period and listed
 * for the admin API ({@code GET /api/v1/admin/alerts}) and the dashboard.
 *
 * <pre>{@code
 * AlertCenter alerts = AlertCenter.builder().build();
 * QuotaManager quotas = QuotaManager.builder().store(store).listener(alerts.quotaAlertListener()).build();
 * for (Alert alert : alerts.open()) {
 *   System.out.println(alert.severity() + " " + alert.message());
 * }
 * }</pre>
 */
@NullMarked
package dev.tenancy.core.alert;

import org.jspecify.annotations.NullMarked;
