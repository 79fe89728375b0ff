package dev.tenancy.core.memory;

import dev.tenancy.core.ConcurrentTenantModificationException;
import dev.tenancy.core.SlugAlreadyTakenException;
import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantConflictException;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantNotFoundException;
import dev.tenancy.core.TenantPage;
import dev.tenancy.core.TenantQuery;
import dev.tenancy.core.TenantSlug;
import dev.tenancy.core.spi.ProvisioningRecord;
import dev.tenancy.core.spi.TenantStore;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Collectors;

/**
 * A {@link TenantStore} that keeps everything in memory: for tests, demos and embedded single-instance use. Nothing
 * survives a restart.
 *
 * <p>Thread-safe without a global lock: tenants live in a concurrent map by id next to a slug index. A slug is claimed
 * atomically before the tenant is stored, so two concurrent inserts of one slug never both succeed; an update is a
 * compare-and-set on the version inside {@link ConcurrentMap#compute}, so of several writers based on the same version
 * exactly one wins.
 *
 * <pre>{@code
 * TenantStore store = new InMemoryTenantStore();
 * TenantService tenants = TenantService.builder().store(store).resolver(resolver).build();
 * }</pre>
 */
public final class InMemoryTenantStore implements TenantStore {

  private static final Comparator<Tenant> BY_SLUG = Comparator.comparing(Tenant::slug);
  private static final Comparator<ProvisioningRecord> BY_TENANT = Comparator.comparing(ProvisioningRecord::tenantId);

  private final ConcurrentMap<TenantId, Tenant> tenants = new ConcurrentHashMap<>();
  private final ConcurrentMap<TenantSlug, TenantId> slugs = new ConcurrentHashMap<>();
  private final ConcurrentMap<TenantId, ProvisioningRecord> journal = new ConcurrentHashMap<>();

  /** Creates an empty store. */
  public InMemoryTenantStore() {
  }

  /**
   * {@inheritDoc}
   *
   * <p>The slug is claimed first, so the slug index never points at a tenant that another insert owns.
   */
  @Override
  public Tenant insert(Tenant tenant) {
    Objects.requireNonNull(tenant, "tenant");
    TenantId owner = slugs.putIfAbsent(tenant.slug(), tenant.id());
    if (owner != null) {
      if (owner.equals(tenant.id())) {
        throw duplicateId(tenant.id());
      }
      throw new SlugAlreadyTakenException(tenant.slug());
    }
    if (tenants.putIfAbsent(tenant.id(), tenant) != null) {
      slugs.remove(tenant.slug(), tenant.id());
      throw duplicateId(tenant.id());
    }
    return tenant;
  }

  private static TenantConflictException duplicateId(TenantId id) {
    return new TenantConflictException("A tenant with id " + id + " already exists; generate a new id with "
        + "TenantId.random()");
  }

  @Override
  public Optional<Tenant> findById(TenantId id) {
    return Optional.ofNullable(tenants.get(Objects.requireNonNull(id, "id")));
  }

  @Override
  public Optional<Tenant> findBySlug(TenantSlug slug) {
    TenantId id = slugs.get(Objects.requireNonNull(slug, "slug"));
    // Between a slug claim and the tenant's arrival the index may point at nothing yet: that reads as absent.
    return id == null ? Optional.empty() : findById(id).filter(tenant -> tenant.slug().equals(slug));
  }

  @Override
  public TenantPage list(TenantQuery query) {
    Objects.requireNonNull(query, "query");
    List<Tenant> matching = tenants.values().stream()
        .filter(query::matches)
        .sorted(BY_SLUG)
        .collect(Collectors.toList());
    long skip = (long) query.page() * query.size();
    List<Tenant> items = matching.stream().skip(skip).limit(query.size()).collect(Collectors.toList());
    return new TenantPage(items, query.page(), query.size(), matching.size());
  }

  @Override
  public Tenant update(Tenant tenant) {
    Objects.requireNonNull(tenant, "tenant");
    Tenant stored = tenants.compute(tenant.id(), (id, current) -> {
      // Throwing inside compute leaves the mapping as it was, which is exactly a failed compare-and-set.
      if (current == null) {
        throw new TenantNotFoundException(id.toString());
      }
      if (current.version() != tenant.version()) {
        throw new ConcurrentTenantModificationException(id, tenant.version(), current.version());
      }
      if (!current.slug().equals(tenant.slug())) {
        throw new TenantConflictException("Tenant " + id + " keeps its slug '" + current.slug()
            + "' for life; create a new tenant to use the slug '" + tenant.slug() + "'");
      }
      return tenant.withVersion(current.version() + 1);
    });
    return Objects.requireNonNull(stored, "stored");
  }

  @Override
  public boolean remove(TenantId id) {
    Tenant removed = tenants.remove(Objects.requireNonNull(id, "id"));
    if (removed == null) {
      return false;
    }
    slugs.remove(removed.slug(), id);
    return true;
  }

  @Override
  public void saveProvisioningRecord(ProvisioningRecord record) {
    Objects.requireNonNull(record, "record");
    journal.put(record.tenantId(), record);
  }

  @Override
  public Optional<ProvisioningRecord> findProvisioningRecord(TenantId id) {
    return Optional.ofNullable(journal.get(Objects.requireNonNull(id, "id")));
  }

  @Override
  public List<ProvisioningRecord> listProvisioningRecords() {
    return journal.values().stream().sorted(BY_TENANT).collect(Collectors.toUnmodifiableList());
  }

  @Override
  public void removeProvisioningRecord(TenantId id) {
    journal.remove(Objects.requireNonNull(id, "id"));
  }

  @Override
  public String toString() {
    return "InMemoryTenantStore[" + tenants.size() + " tenants]";
  }
}
