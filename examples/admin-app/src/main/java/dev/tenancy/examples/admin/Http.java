package dev.tenancy.examples.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tenancy.core.identity.TenantPrincipal;
import dev.tenancy.servlet.Problem;
import dev.tenancy.servlet.ProblemType;
import dev.tenancy.servlet.Problems;
import dev.tenancy.servlet.TenancyRequest;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;

/** JSON in and out, problems and role checks for the example's own servlets. */
final class Http {

  static final ObjectMapper JSON = new ObjectMapper();

  static final Set<String> READ_ROLES = Set.of("viewer", "agent", "tenant_admin");
  static final Set<String> WRITE_ROLES = Set.of("agent", "tenant_admin");

  private Http() {
  }

  static void write(HttpServletResponse response, int status, Object body) throws IOException {
    response.setStatus(status);
    response.setContentType("application/json");
    response.setCharacterEncoding("UTF-8");
    JSON.writeValue(response.getOutputStream(), body);
  }

  static void problem(HttpServletRequest request, HttpServletResponse response, ProblemType type, String detail) {
    Problems.write(request, response, Problem.of(type, detail));
  }

  /**
   * Whether the caller holds one of the roles; a platform admin inside a tenant (the filter demanded a reason and
   * audited it) may do everything. Writes the 403 when not.
   */
  static boolean allowed(HttpServletRequest request, HttpServletResponse response, Set<String> roles) {
    Optional<TenantPrincipal> principal = TenancyRequest.principal(request);
    if (principal.isPresent() && (principal.get().isPlatform()
        || principal.get().roles().stream().anyMatch(roles::contains))) {
      return true;
    }
    problem(request, response, ProblemType.FORBIDDEN, "This needs one of the roles " + new java.util.TreeSet<>(roles));
    return false;
  }

  /** The JSON object body, or empty after writing 415 or 400. */
  static Optional<JsonNode> body(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String type = request.getContentType();
    if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
      problem(request, response, ProblemType.UNSUPPORTED_MEDIA_TYPE, "Send the body as application/json");
      return Optional.empty();
    }
    JsonNode node;
    try {
      node = JSON.readTree(request.getInputStream());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      problem(request, response, ProblemType.VALIDATION_FAILED, "The body is not well-formed JSON");
      return Optional.empty();
    }
    if (node == null || !node.isObject()) {
      problem(request, response, ProblemType.VALIDATION_FAILED, "The body must be a JSON object");
      return Optional.empty();
    }
    return Optional.of(node);
  }

  /** A text field, or null when absent; longer than {@code max} is refused by the caller via the return flag. */
  static String text(JsonNode body, String field) {
    JsonNode value = body.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }
}
