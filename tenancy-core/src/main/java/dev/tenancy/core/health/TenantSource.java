package dev.tenancy.core.health;

import dev.tenancy.core.EffectiveConfiguration;
import dev.tenancy.core.TenancyException;
import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.TenantPage;
import dev.tenancy.core.TenantQuery;
import dev.tenancy.core.lifecycle.TenantService;
import dev.tenancy.core.spi.TenantStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Where the runner finds tenants: a {@link TenantService} (with configuration) or a bare {@link TenantStore}. */
final class TenantSource {

  private final Function<TenantId, Optional<Tenant>> find;
  private final Function<TenantQuery, TenantPage> list;
  private final Function<Tenant, TenantInfo> info;

  private TenantSource(Function<TenantId, Optional<Tenant>> find, Function<TenantQuery, TenantPage> list,
      Function<Tenant, TenantInfo> info) {
    this.find = find;
    this.list = list;
    this.info = info;
  }

  static TenantSource of(TenantService service) {
    return new TenantSource(service::find, service::list, tenant -> {
      try {
        return service.info(tenant);
      } catch (TenancyException e) {
        // A tier dropped from the catalog must not keep the tenant's data from being checked.
        return bare(tenant);
      }
    });
  }

  static TenantSource of(TenantStore store) {
    return new TenantSource(store::findById, store::list, TenantSource::bare);
  }

  Optional<Tenant> find(TenantId id) {
    return find.apply(id);
  }

  /** Every tenant, deleted ones included, by slug. */
  List<Tenant> all() {
    List<Tenant> all = new ArrayList<>();
    TenantQuery query = new TenantQuery(null, null, null, 0, TenantQuery.MAX_SIZE);
    while (true) {
      TenantPage page = list.apply(query);
      all.addAll(page.items());
      if (!page.hasNext() || page.items().isEmpty()) {
        return all;
      }
      query = query.withPage(query.page() + 1);
    }
  }

  TenantInfo info(Tenant tenant) {
    return info.apply(tenant);
  }

  private static TenantInfo bare(Tenant tenant) {
    return new TenantInfo(tenant.id(), tenant.slug(), tenant.status(), EffectiveConfiguration.none());
  }
}
