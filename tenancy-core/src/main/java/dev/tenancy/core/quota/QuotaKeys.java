package dev.tenancy.core.quota;

import dev.tenancy.core.TenantId;
import java.util.Locale;

/**
 * The quota store keys of a tenant's counters, buckets and leases. The tenant id sits in braces — a Redis Cluster hash
 * tag — so that all keys of one tenant live on one shard.
 *
 * <p>Period counters have a <em>name</em> (tenant and resource, what {@link dev.tenancy.core.spi.UsageStore} persists)
 * and a <em>key</em> (prefix, name and period, what the quota store holds).
 */
final class QuotaKeys {

  private final String prefix;

  QuotaKeys(String prefix) {
    this.prefix = prefix;
  }

  String apiCallsName(TenantId tenant) {
    return "{" + tenant + "}:apiCalls";
  }

  String alertName(TenantId tenant, QuotaResource resource, int thresholdPercent) {
    return "{" + tenant + "}:alert:" + resource.name().toLowerCase(Locale.ROOT) + ":" + thresholdPercent;
  }

  String counter(String name, QuotaPeriod period) {
    return prefix + name + ":" + period.label();
  }

  String storage(TenantId tenant, QuotaPeriod period) {
    return prefix + "{" + tenant + "}:storage:" + period.label();
  }

  String rate(TenantId tenant) {
    return prefix + "{" + tenant + "}:rate";
  }

  String users(TenantId tenant) {
    return prefix + "{" + tenant + "}:users";
  }
}
