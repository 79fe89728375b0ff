package dev.tenancy.examples.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.identity.AccessDeniedException;
import dev.tenancy.core.identity.ApiKeyService;
import dev.tenancy.core.identity.IssuedApiKey;
import dev.tenancy.core.identity.NewApiKey;
import dev.tenancy.core.identity.TenantPrincipal;
import dev.tenancy.servlet.ProblemType;
import dev.tenancy.servlet.TenancyRequest;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** {@code POST /api/v1/users}: a tenant admin adds a user and receives the user's API key, shown once. */
final class UsersServlet extends HttpServlet {

  private final ApiKeyService apiKeys;
  private final LeadStore store;

  UsersServlet(ApiKeyService apiKeys, LeadStore store) {
    this.apiKeys = apiKeys;
    this.store = store;
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    if (!Http.allowed(request, response, Set.of("tenant_admin"))) {
      return;
    }
    Optional<JsonNode> body = Http.body(request, response);
    if (body.isEmpty()) {
      return;
    }
    String subject = Http.text(body.get(), "subject");
    JsonNode rolesNode = body.get().get("roles");
    if (subject == null || subject.isBlank() || rolesNode == null || !rolesNode.isArray() || rolesNode.isEmpty()) {
      Http.problem(request, response, ProblemType.VALIDATION_FAILED,
          "Send {\"subject\":\"…\",\"roles\":[\"agent\"]}: subject and at least one role are required");
      return;
    }
    Set<String> roles = new TreeSet<>();
    rolesNode.forEach(r -> roles.add(r.asText()));
    TenantPrincipal actor = TenancyRequest.principal(request).orElseThrow();
    TenantId tenant = TenancyRequest.tenantInfo(request).orElseThrow().id();
    IssuedApiKey issued;
    try {
      issued = apiKeys.create(actor, NewApiKey.of(tenant, subject, roles));
    } catch (AccessDeniedException e) {
      Http.problem(request, response, ProblemType.FORBIDDEN, "You may not grant the roles " + roles);
      return;
    } catch (IllegalArgumentException e) {
      Http.problem(request, response, ProblemType.VALIDATION_FAILED, e.getMessage());
      return;
    }
    try {
      store.addUser(tenant, subject, roles);
    } catch (SQLException e) {
      // The key exists already; the user row is only a directory entry, so a duplicate subject is not fatal.
      if (!"23505".equals(e.getSQLState())) {
        throw new IOException("Recording the user failed", e);
      }
    }
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("subject", subject);
    view.put("roles", roles);
    view.put("keyId", issued.id());
    view.put("apiKey", issued.secret());
    response.setHeader("Cache-Control", "no-store");
    Http.write(response, 201, view);
  }
}
