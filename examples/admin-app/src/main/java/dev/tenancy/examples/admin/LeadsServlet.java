package dev.tenancy.examples.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.audit.AuditActorType;
import dev.tenancy.core.audit.AuditCategory;
import dev.tenancy.core.audit.AuditEvent;
import dev.tenancy.core.audit.AuditLog;
import dev.tenancy.core.identity.TenantPrincipal;
import dev.tenancy.servlet.ProblemType;
import dev.tenancy.servlet.TenancyRequest;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code /api/v1/leads} and {@code /api/v1/leads/{id}}: the agency's leads. A lead of another agency is simply not
 * there (404, the same answer as for an id that never existed), because the database only shows the tenant's rows.
 */
final class LeadsServlet extends HttpServlet {

  private static final int MAX_TEXT = 200;
  private static final int MAX_NOTES = 4000;

  private final LeadStore leads;
  private final AuditLog audit;

  LeadsServlet(LeadStore leads, AuditLog audit) {
    this.leads = leads;
    this.audit = audit;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    if (!Http.allowed(request, response, Http.READ_ROLES)) {
      return;
    }
    TenantId tenant = tenant(request);
    try {
      Optional<UUID> id = id(request);
      if (id == null) {
        List<Map<String, Object>> items = leads.list(tenant).stream().map(LeadsServlet::view).toList();
        Http.write(response, 200, Map.of("items", items, "total", items.size()));
        return;
      }
      Optional<LeadStore.Lead> lead = id.isEmpty() ? Optional.empty() : leads.find(tenant, id.get());
      if (lead.isEmpty()) {
        notFound(request, response);
        return;
      }
      Http.write(response, 200, view(lead.get()));
    } catch (SQLException e) {
      throw new IOException("Reading leads failed", e);
    }
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    if (!Http.allowed(request, response, Http.WRITE_ROLES)) {
      return;
    }
    if (id(request) != null) {
      Http.problem(request, response, ProblemType.NOT_FOUND, "POST to /api/v1/leads to create a lead");
      return;
    }
    Optional<JsonNode> body = Http.body(request, response);
    if (body.isEmpty() || !valid(request, response, body.get())) {
      return;
    }
    JsonNode b = body.get();
    try {
      LeadStore.Lead lead = leads.create(tenant(request), Http.text(b, "name"), Http.text(b, "email"),
          Http.text(b, "phone"), Http.text(b, "notes"));
      record(request, "lead.created", lead.id());
      response.setHeader("Location", "/api/v1/leads/" + lead.id());
      Http.write(response, 201, view(lead));
    } catch (SQLException e) {
      throw new IOException("Storing the lead failed", e);
    }
  }

  @Override
  protected void doPut(HttpServletRequest request, HttpServletResponse response) throws IOException {
    if (!Http.allowed(request, response, Http.WRITE_ROLES)) {
      return;
    }
    Optional<UUID> id = id(request);
    if (id == null || id.isEmpty()) {
      notFound(request, response);
      return;
    }
    Optional<JsonNode> body = Http.body(request, response);
    if (body.isEmpty()) {
      return;
    }
    TenantId tenant = tenant(request);
    try {
      Optional<LeadStore.Lead> current = leads.find(tenant, id.get());
      if (current.isEmpty()) {
        notFound(request, response);
        return;
      }
      // Absent fields keep their value, so a client may send only what changes.
      JsonNode b = body.get();
      LeadStore.Lead old = current.get();
      Map<String, String> merged = new LinkedHashMap<>();
      merged.put("name", b.has("name") ? Http.text(b, "name") : old.name());
      merged.put("email", b.has("email") ? Http.text(b, "email") : old.email());
      merged.put("phone", b.has("phone") ? Http.text(b, "phone") : old.phone());
      merged.put("notes", b.has("notes") ? Http.text(b, "notes") : old.notes());
      if (!valid(request, response, Http.JSON.valueToTree(merged))) {
        return;
      }
      Optional<LeadStore.Lead> updated = leads.update(tenant, id.get(), merged.get("name"), merged.get("email"),
          merged.get("phone"), merged.get("notes"));
      if (updated.isEmpty()) {
        notFound(request, response);
        return;
      }
      record(request, "lead.updated", id.get());
      Http.write(response, 200, view(updated.get()));
    } catch (SQLException e) {
      throw new IOException("Updating the lead failed", e);
    }
  }

  @Override
  protected void doDelete(HttpServletRequest request, HttpServletResponse response) throws IOException {
    if (!Http.allowed(request, response, Http.WRITE_ROLES)) {
      return;
    }
    Optional<UUID> id = id(request);
    try {
      if (id == null || id.isEmpty() || !leads.delete(id.get())) {
        notFound(request, response);
        return;
      }
      record(request, "lead.deleted", id.get());
      response.setStatus(204);
    } catch (SQLException e) {
      throw new IOException("Deleting the lead failed", e);
    }
  }

  /** Writes to leads are part of the tenant's audit trail: who changed which lead, never its contents. */
  private void record(HttpServletRequest request, String action, UUID lead) {
    TenantPrincipal principal = TenancyRequest.principal(request).orElseThrow();
    audit.record(AuditEvent.builder(AuditCategory.DATA_ACCESS, action).tenant(tenant(request))
        .actor(principal.isPlatform() ? AuditActorType.PLATFORM_OPERATOR : AuditActorType.USER, principal.subject())
        .resource("lead/" + lead).traceId(TenancyRequest.traceId(request).orElse(null))
        .sourceAddress(request.getRemoteAddr()).build());
  }

  private static TenantId tenant(HttpServletRequest request) {
    return TenancyRequest.tenantInfo(request).map(TenantInfo::id)
        .orElseThrow(() -> new IllegalStateException("TenantFilter is not in front of the leads servlet"));
  }

  /** @return null for the collection, empty for an id that cannot exist, else the id */
  private static Optional<UUID> id(HttpServletRequest request) {
    String path = request.getPathInfo();
    if (path == null || path.equals("/")) {
      return null;
    }
    try {
      String text = path.substring(1);
      UUID id = UUID.fromString(text);
      return id.toString().equals(text.toLowerCase(java.util.Locale.ROOT)) ? Optional.of(id) : Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static boolean valid(HttpServletRequest request, HttpServletResponse response, JsonNode body) {
    String problem = null;
    String name = Http.text(body, "name");
    String email = Http.text(body, "email");
    if (name == null || name.isBlank() || name.length() > MAX_TEXT) {
      problem = "name is required, at most " + MAX_TEXT + " characters";
    } else if (email == null || email.length() > MAX_TEXT || !email.matches("[^@\\s]+@[^@\\s]+")) {
      problem = "email is required and must look like name@domain";
    } else if (Http.text(body, "phone") != null && Http.text(body, "phone").length() > 50) {
      problem = "phone is at most 50 characters";
    } else if (Http.text(body, "notes") != null && Http.text(body, "notes").length() > MAX_NOTES) {
      problem = "notes are at most " + MAX_NOTES + " characters";
    }
    if (problem != null) {
      Http.problem(request, response, ProblemType.VALIDATION_FAILED, problem);
      return false;
    }
    return true;
  }

  private static void notFound(HttpServletRequest request, HttpServletResponse response) {
    Http.problem(request, response, ProblemType.NOT_FOUND, "No such lead");
  }

  private static Map<String, Object> view(LeadStore.Lead lead) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", lead.id().toString());
    view.put("name", lead.name());
    view.put("email", lead.email());
    view.put("phone", lead.phone());
    view.put("notes", lead.notes());
    view.put("createdAt", lead.createdAt().toInstant().toString());
    view.put("updatedAt", lead.updatedAt().toInstant().toString());
    return view;
  }
}
