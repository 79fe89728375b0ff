package dev.tenancy.servlet.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.identity.TenantPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * One admin call as the handlers see it: the request, the response, who calls and why, and what the call is about
 * (the operation name and target tenant the audit event records).
 */
final class Exchange {

  final HttpServletRequest request;
  final HttpServletResponse response;
  final TenantPrincipal principal;
  final String reason;
  final String traceId;
  final List<String> path;
  private final ObjectMapper mapper;
  private final long maxBodyBytes;
  private String operation = "request";
  private @Nullable TenantId target;
  private int status;

  Exchange(HttpServletRequest request, HttpServletResponse response, TenantPrincipal principal, String reason,
      String traceId, List<String> path, ObjectMapper mapper, long maxBodyBytes) {
    this.request = request;
    this.response = response;
    this.principal = principal;
    this.reason = reason;
    this.traceId = traceId;
    this.path = path;
    this.mapper = mapper;
    this.maxBodyBytes = maxBodyBytes;
  }

  /** Names the call for the audit trail, e.g. {@code tenant_create}. */
  void operation(String name) {
    this.operation = name;
  }

  String operation() {
    return operation;
  }

  /** Records the tenant the call is about: its audit event goes into that tenant's chain. */
  void target(TenantId tenant) {
    this.target = tenant;
  }

  @Nullable TenantId target() {
    return target;
  }

  int status() {
    return status;
  }

  void status(int code) {
    this.status = code;
  }

  String method() {
    return request.getMethod().toUpperCase(Locale.ROOT);
  }

  JsonNode body() throws IOException {
    return JsonBody.read(request, mapper, maxBodyBytes);
  }

  ObjectMapper mapper() {
    return mapper;
  }

  /** A query parameter, blank treated as absent. */
  @Nullable String param(String name) {
    String value = request.getParameter(name);
    return value == null || value.isBlank() ? null : value.strip();
  }

  int intParam(String name, int fallback) {
    String value = param(name);
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw AdminException.validation(name, "must be a whole number, was '" + Fields.clip(value) + "'");
    }
  }

  boolean boolParam(String name, boolean fallback) {
    String value = param(name);
    if (value == null) {
      return fallback;
    }
    if (value.equalsIgnoreCase("true")) {
      return true;
    }
    if (value.equalsIgnoreCase("false")) {
      return false;
    }
    throw AdminException.validation(name, "must be true or false, was '" + Fields.clip(value) + "'");
  }

  /** Writes a JSON answer. */
  void json(int code, Object body) throws IOException {
    status = code;
    response.setStatus(code);
    response.setContentType("application/json");
    response.setCharacterEncoding("UTF-8");
    response.setHeader("Cache-Control", "no-store");
    mapper.writeValue(response.getOutputStream(), body);
  }

  /** The URL path of this servlet's mount point, for {@code Location} headers. */
  String base() {
    return request.getContextPath() + request.getServletPath();
  }
}
