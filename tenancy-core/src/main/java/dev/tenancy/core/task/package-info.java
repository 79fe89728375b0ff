/**
 * Running one job for each of many tenants, each inside its own tenant scope, with bounded parallelism and with one
 * tenant's failure kept from stopping the others.
 *
 * <pre>{@code
 * TenantRunReport report = TenantTasks.forEachTenant(tenants, 4, tenant -> digestMailer.sendDailyDigest());
 * log.info("digest sent to {} tenants in {}", report.succeeded().size(), report.elapsed());
 * report.throwIfAnyFailed();   // TenantTaskFailedException naming every tenant whose job failed
 * }</pre>
 */
@NullMarked
package dev.tenancy.core.task;

import org.jspecify.annotations.NullMarked;
