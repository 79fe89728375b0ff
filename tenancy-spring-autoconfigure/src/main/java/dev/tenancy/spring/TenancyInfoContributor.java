package dev.tenancy.spring;

import dev.tenancy.core.Tier;
import dev.tenancy.core.TierCatalog;
import dev.tenancy.core.TenantQuery;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.lifecycle.TenantService;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;

/**
 * Adds {@code tenancy} to Actuator's {@code info} endpoint: how many tenants are in each lifecycle status, the tier
 * names and the isolation strategy of the DataSource ({@code none} when it is not wrapped). Counts only, never a
 * tenant's name: {@code info} is often exposed more widely than {@code health}.
 */
public final class TenancyInfoContributor implements InfoContributor {

  private final TenantService tenants;
  private final TierCatalog tiers;
  private final String isolation;

  /**
   * @param tenants where the tenants are counted
   * @param tiers the tier catalog
   * @param isolation the isolation strategy's name, e.g. {@code rls}, {@code schema} or {@code none}
   */
  public TenancyInfoContributor(TenantService tenants, TierCatalog tiers, String isolation) {
    this.tenants = Objects.requireNonNull(tenants, "tenants");
    this.tiers = Objects.requireNonNull(tiers, "tiers");
    this.isolation = Objects.requireNonNull(isolation, "isolation");
  }

  @Override
  public void contribute(Info.Builder builder) {
    Map<String, Long> byStatus = new LinkedHashMap<>();
    long total = 0;
    for (TenantStatus status : TenantStatus.values()) {
      // A one-row page per status: the store counts, nothing is loaded.
      long count = tenants.list(new TenantQuery(status, null, null, 0, 1)).total();
      byStatus.put(status.name(), count);
      total += count;
    }
    Map<String, Object> tenancy = new LinkedHashMap<>();
    Map<String, Object> counts = new LinkedHashMap<>();
    counts.put("total", total);
    counts.put("byStatus", byStatus);
    tenancy.put("tenants", counts);
    tenancy.put("tiers", tiers.tiers().stream().map(Tier::name).toList());
    tenancy.put("isolation", isolation);
    builder.withDetail("tenancy", tenancy);
  }
}
