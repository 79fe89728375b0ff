package dev.tenancy.servlet.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantPage;
import dev.tenancy.core.TenantQuery;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.identity.ApiKeyService;
import dev.tenancy.core.identity.IssuedApiKey;
import dev.tenancy.core.identity.NewApiKey;
import dev.tenancy.core.identity.RoleCatalog;
import dev.tenancy.core.lifecycle.BulkItem;
import dev.tenancy.core.lifecycle.BulkItemResult;
import dev.tenancy.core.lifecycle.BulkOperation;
import dev.tenancy.core.lifecycle.NewTenant;
import dev.tenancy.core.lifecycle.TenantService;
import dev.tenancy.core.lifecycle.TenantUpdate;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The tenant rows of the admin API: create, list, read, change, delete, bulk, suspend and activate. */
final class TenantHandlers {

  private static final Logger LOG = LoggerFactory.getLogger(TenantHandlers.class);
  private static final Pattern ETAG = Pattern.compile("\\s*(?:W/)?\"?(\\d{1,18})\"?\\s*");
  /** The subject of the key created with every tenant. */
  static final String TENANT_ADMIN_SUBJECT = "tenant-admin";

  private final TenantService tenants;
  private final @Nullable ApiKeyService apiKeys;

  TenantHandlers(TenantService tenants, @Nullable ApiKeyService apiKeys) {
    this.tenants = tenants;
    this.apiKeys = apiKeys;
  }

  /** Looks the {id} segment up (UUID or slug) and records it as the call's target. */
  Tenant require(Exchange call, String idOrSlug) {
    Tenant tenant;
    try {
      tenant = tenants.require(idOrSlug);
    } catch (dev.tenancy.core.TenantNotFoundException e) {
      throw AdminException.notFound("No tenant '" + Fields.clip(idOrSlug) + "'; check the id or slug");
    }
    call.target(tenant.id());
    return tenant;
  }

  void create(Exchange call) throws IOException {
    call.operation("tenant_create");
    JsonNode body = call.body();
    TenantRequests.Parsed<NewTenant> parsed = TenantRequests.create(body, "");
    if (!parsed.valid()) {
      throw AdminException.validation(parsed.errors());
    }
    Tenant tenant = tenants.create(parsed.value());
    call.target(tenant.id());
    ObjectNode json = call.mapper().valueToTree(TenantView.of(tenant));
    addCredentials(call, json, tenant);
    call.response.setHeader("Location", call.base() + "/tenants/" + tenant.id());
    call.response.setHeader("ETag", TenantView.etag(tenant));
    call.json(201, json);
  }

  /** Creates the tenant_admin key shown once with the tenant; without an ApiKeyService there is none. */
  private void addCredentials(Exchange call, ObjectNode json, Tenant tenant) {
    if (apiKeys == null) {
      return;
    }
    IssuedApiKey key = apiKeys.create(call.principal, NewApiKey.of(tenant.id(), TENANT_ADMIN_SUBJECT,
        Set.of(RoleCatalog.TENANT_ADMIN)).withName("tenant_admin key created with the tenant"));
    ObjectNode credentials = json.putObject("credentials");
    credentials.put("apiKey", key.secret());
    credentials.put("keyId", key.id());
  }

  void list(Exchange call) throws IOException {
    call.operation("tenant_list");
    List<AdminException.FieldError> errors = new ArrayList<>();
    TenantStatus status = null;
    String statusText = call.param("status");
    if (statusText != null) {
      try {
        status = TenantStatus.valueOf(statusText.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        errors.add(new AdminException.FieldError("status", "must be one of "
            + Arrays.toString(TenantStatus.values()) + ", was '" + Fields.clip(statusText) + "'"));
      }
    }
    int page = 0;
    int size = TenantQuery.DEFAULT_SIZE;
    try {
      page = call.intParam("page", 0);
    } catch (AdminException e) {
      errors.addAll(e.errors());
    }
    try {
      size = call.intParam("size", TenantQuery.DEFAULT_SIZE);
    } catch (AdminException e) {
      errors.addAll(e.errors());
    }
    if (!errors.isEmpty()) {
      throw AdminException.validation(errors);
    }
    TenantPage result = tenants.list(new TenantQuery(status, call.param("tier"), call.param("q"), page, size));
    call.json(200, Map.of("items", result.items().stream().map(TenantView::of).toList(), "page", result.page(),
        "size", result.size(), "total", result.total()));
  }

  void read(Exchange call, String id) throws IOException {
    call.operation("tenant_read");
    Tenant tenant = require(call, id);
    call.response.setHeader("ETag", TenantView.etag(tenant));
    call.json(200, TenantView.of(tenant));
  }

  void update(Exchange call, String id) throws IOException {
    call.operation("tenant_update");
    Tenant tenant = require(call, id);
    Long expected = ifMatch(call);
    JsonNode body = call.body();
    TenantRequests.Parsed<TenantUpdate> parsed = TenantRequests.update(body, "", Set.of());
    if (!parsed.valid()) {
      throw AdminException.validation(parsed.errors());
    }
    TenantUpdate update = expected == null ? parsed.value() : parsed.value().expectingVersion(expected);
    Tenant changed = tenants.update(tenant.id(), update);
    call.response.setHeader("ETag", TenantView.etag(changed));
    call.json(200, TenantView.of(changed));
  }

  /** The version of {@code If-Match}, {@code null} when absent or {@code *}. */
  private static @Nullable Long ifMatch(Exchange call) {
    String header = call.request.getHeader("If-Match");
    if (header == null || header.isBlank() || header.strip().equals("*")) {
      return null;
    }
    Matcher matcher = ETAG.matcher(header);
    if (!matcher.matches()) {
      throw AdminException.validation("If-Match", "must be the tenant's ETag, a quoted version such as \"7\"");
    }
    return Long.parseLong(matcher.group(1));
  }

  void delete(Exchange call, String id) throws IOException {
    boolean purge = call.boolParam("purge", false);
    call.operation(purge ? "tenant_purge" : "tenant_cancel");
    Tenant tenant = require(call, id);
    Tenant after = tenants.delete(tenant.id(), purge);
    call.json(202, TenantView.of(after));
  }

  void changeStatus(Exchange call, String id, boolean suspend) throws IOException {
    call.operation(suspend ? "tenant_suspend" : "tenant_activate");
    Tenant tenant = require(call, id);
    Tenant after = suspend ? tenants.suspend(tenant.id()) : tenants.activate(tenant.id());
    call.response.setHeader("ETag", TenantView.etag(after));
    call.json(200, TenantView.of(after));
  }

  // ---------------------------------------------------------------- bulk

  void bulk(Exchange call) throws IOException {
    call.operation("tenant_bulk");
    JsonNode body = call.body();
    Fields fields = Fields.of(body, "", Set.of("operation", "items"));
    BulkOperation operation = fields.constant("operation", BulkOperation.class, Set.of(BulkOperation.values()));
    if (!fields.has("operation") && fields.errors().isEmpty()) {
      fields.error("operation", "is required: one of create, update, suspend, activate, delete");
    }
    JsonNode items = body.isObject() ? body.get("items") : null;
    if (items == null || !items.isArray()) {
      fields.error("items", "is required: an array of items");
    } else if (items.size() > TenantService.MAX_BULK_ITEMS) {
      fields.error("items", "holds at most " + TenantService.MAX_BULK_ITEMS + " items, this one has "
          + items.size() + "; split it into several requests");
    } else if (items.isEmpty()) {
      fields.error("items", "must hold at least one item");
    }
    fields.throwIfInvalid();
    call.operation("tenant_bulk_" + operation.name().toLowerCase(Locale.ROOT));

    // Items whose JSON is wrong fail on their own here; the rest go to core, which applies each one on its own.
    ArrayNode results = call.mapper().createArrayNode();
    ObjectNode[] byIndex = new ObjectNode[items.size()];
    List<BulkItem> valid = new ArrayList<>();
    List<Integer> positions = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      String prefix = "items[" + i + "].";
      Object parsed = item(operation, items.get(i), prefix);
      if (parsed instanceof BulkItem item) {
        valid.add(item);
        positions.add(i);
      } else {
        @SuppressWarnings("unchecked")
        List<AdminException.FieldError> errors = (List<AdminException.FieldError>) parsed;
        byIndex[i] = failure(call, i, BulkItemResult.VALIDATION_FAILED, errors.get(0).field() + ": "
            + errors.get(0).message(), errors);
      }
    }
    int succeeded = 0;
    if (!valid.isEmpty()) {
      List<BulkItemResult> applied = tenants.bulk(operation, valid);
      for (BulkItemResult result : applied) {
        int index = positions.get(result.index());
        if (result.succeeded()) {
          succeeded++;
          byIndex[index] = success(call, index, operation, result.tenant());
        } else {
          byIndex[index] = failure(call, index, result.error(), result.message(), List.of());
        }
      }
    }
    for (ObjectNode result : byIndex) {
      results.add(result);
    }
    ObjectNode answer = call.mapper().createObjectNode();
    answer.put("operation", operation.name().toLowerCase(Locale.ROOT));
    answer.put("succeeded", succeeded);
    answer.put("failed", items.size() - succeeded);
    answer.set("results", results);
    call.json(200, answer);
  }

  /** A bulk item as core takes it, or the list of its field errors. */
  private static Object item(BulkOperation operation, JsonNode node, String prefix) {
    switch (operation) {
      case CREATE: {
        TenantRequests.Parsed<NewTenant> parsed = TenantRequests.create(node, prefix);
        return parsed.valid() ? BulkItem.create(parsed.value()) : parsed.errors();
      }
      case UPDATE: {
        TenantRequests.Parsed<TenantUpdate> parsed = TenantRequests.update(node, prefix, Set.of("id", "version"));
        Fields fields = Fields.of(node, prefix, Set.of("id", "version", "displayName", "tier", "status",
            "featureFlags", "limits", "apiVersion", "settings"));
        String id = fields.text("id", true);
        List<AdminException.FieldError> errors = new ArrayList<>(parsed.errors());
        if (id == null && errors.stream().noneMatch(e -> e.field().equals(prefix + "id"))) {
          errors.addAll(fields.errors().stream().filter(e -> e.field().equals(prefix + "id")).toList());
        }
        return errors.isEmpty() ? BulkItem.update(id, parsed.value()) : errors;
      }
      case DELETE:
      case SUSPEND:
      case ACTIVATE:
      default: {
        if (node.isTextual()) {
          return operation == BulkOperation.DELETE ? BulkItem.delete(node.textValue(), false)
              : BulkItem.tenant(node.textValue());
        }
        Set<String> allowed = operation == BulkOperation.DELETE ? Set.of("id", "purge") : Set.of("id");
        Fields fields = Fields.of(node, prefix, allowed);
        String id = fields.text("id", true);
        Boolean purge = operation == BulkOperation.DELETE ? fields.bool("purge") : null;
        if (!fields.errors().isEmpty()) {
          return fields.errors();
        }
        return operation == BulkOperation.DELETE ? BulkItem.delete(id, Boolean.TRUE.equals(purge))
            : BulkItem.tenant(id);
      }
    }
  }

  private ObjectNode success(Exchange call, int index, BulkOperation operation, @Nullable Tenant tenant) {
    ObjectNode result = call.mapper().createObjectNode();
    result.put("index", index);
    result.put("succeeded", true);
    if (tenant != null) {
      ObjectNode view = call.mapper().valueToTree(TenantView.of(tenant));
      if (operation == BulkOperation.CREATE) {
        try {
          addCredentials(call, view, tenant);
        } catch (RuntimeException e) {
          LOG.warn("Bulk create: tenant {} was created but its tenant_admin key could not be: {}", tenant.id(),
              e.toString());
          result.put("warning", "the tenant was created, but its tenant_admin key could not be; create one");
        }
      }
      result.set("tenant", view);
    }
    return result;
  }

  private static ObjectNode failure(Exchange call, int index, @Nullable String error, @Nullable String message,
      List<AdminException.FieldError> errors) {
    ObjectNode result = call.mapper().createObjectNode();
    result.put("index", index);
    result.put("succeeded", false);
    result.put("error", error);
    // Core's messages for internal failures may quote a step's exception; those stay in the server log.
    result.put("message", BulkItemResult.INTERNAL.equals(error) ? "the operation failed inside the service; see "
        + "the server log (trace " + call.traceId + ")" : message);
    if (!errors.isEmpty()) {
      result.set("errors", call.mapper().valueToTree(errors));
    }
    return result;
  }
}
