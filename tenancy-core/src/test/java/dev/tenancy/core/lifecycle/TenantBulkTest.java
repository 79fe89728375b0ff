package dev.tenancy.core.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantQuery;
import dev.tenancy.core.TenantSlug;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.TenantValidationException;
import dev.tenancy.core.memory.InMemoryTenantStore;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TenantBulkTest {

  private final InMemoryTenantStore store = new InMemoryTenantStore();
  private final TenantService service = LifecycleFixture.service(store).build();

  @Test
  void bulkCreate_invalidAndDuplicateItems_failAloneWhileValidOnesAreCreated() {
    service.create(NewTenant.of("taken", "Taken"));

    List<BulkItemResult> results = service.bulk(BulkOperation.CREATE, List.of(
        BulkItem.create(NewTenant.of("alpha", "Alpha")),
        BulkItem.create(NewTenant.of("Not A Slug", "Bad")),
        BulkItem.create(NewTenant.of("beta", "Beta")),
        BulkItem.create(NewTenant.of("taken", "Duplicate")),
        BulkItem.create(NewTenant.of("gamma", "Gamma").withInitialStatus(TenantStatus.ACTIVE))));

    assertThat(results).extracting(BulkItemResult::index).containsExactly(0, 1, 2, 3, 4);
    assertThat(results).extracting(BulkItemResult::succeeded).containsExactly(true, false, true, false, true);
    assertThat(results.get(1).error()).isEqualTo(BulkItemResult.VALIDATION_FAILED);
    assertThat(results.get(1).message()).startsWith("slug");
    assertThat(results.get(3).error()).isEqualTo(BulkItemResult.CONFLICT);
    assertThat(results.get(3).message()).contains("taken");
    assertThat(results.get(0).tenant().slug()).isEqualTo(TenantSlug.of("alpha"));
    assertThat(results.get(4).tenant().status()).isEqualTo(TenantStatus.ACTIVE);
    assertThat(service.list(TenantQuery.all()).items().stream().map(t -> t.slug().value())
        .collect(Collectors.toList())).containsExactly("alpha", "beta", "gamma", "taken");
  }

  @Test
  void bulkSuspend_unknownAndIllegalItems_reportNotFoundAndConflict() {
    Tenant trial = service.create(NewTenant.of("alpha", "Alpha"));
    Tenant suspended = service.suspend(service.create(NewTenant.of("beta", "Beta")).id());

    List<BulkItemResult> results = service.bulk(BulkOperation.SUSPEND, List.of(
        BulkItem.tenant(trial.id().toString()), BulkItem.tenant("nobody"), BulkItem.tenant("beta")));

    assertThat(results.get(0).succeeded()).isTrue();
    assertThat(results.get(0).tenant().status()).isEqualTo(TenantStatus.SUSPENDED);
    assertThat(results.get(1).error()).isEqualTo(BulkItemResult.NOT_FOUND);
    assertThat(results.get(2).error()).isEqualTo(BulkItemResult.CONFLICT);
    assertThat(service.find(suspended.id())).contains(suspended);
  }

  @Test
  void bulkUpdateAndDelete_applyPerItemParts() {
    service.create(NewTenant.of("alpha", "Alpha"));
    service.create(NewTenant.of("beta", "Beta"));

    List<BulkItemResult> updates = service.bulk(BulkOperation.UPDATE, List.of(
        BulkItem.update("alpha", TenantUpdate.none().withTier("pro")), BulkItem.tenant("beta")));
    List<BulkItemResult> deletes = service.bulk(BulkOperation.DELETE, List.of(
        BulkItem.delete("alpha", false), BulkItem.delete("beta", true)));

    assertThat(updates.get(0).tenant().tier()).isEqualTo("pro");
    assertThat(updates.get(1).error()).isEqualTo(BulkItemResult.VALIDATION_FAILED);
    assertThat(updates.get(1).message()).contains("update");
    assertThat(deletes).extracting(result -> result.tenant().status())
        .containsExactly(TenantStatus.CANCELLED, TenantStatus.DELETED);
  }

  @Test
  void bulk_moreThanAThousandItems_isRefusedAsAWhole() {
    List<BulkItem> items = Collections.nCopies(TenantService.MAX_BULK_ITEMS + 1, BulkItem.tenant("alpha"));

    TenantValidationException failure = catchThrowableOfType(TenantValidationException.class,
        () -> service.bulk(BulkOperation.ACTIVATE, items));

    assertThat(failure.field()).isEqualTo("items");
  }
}
