package dev.tenancy.servlet;

import static dev.tenancy.servlet.TenantFilter.ALLOWED_API_VERSIONS_SETTING;
import static dev.tenancy.servlet.TenantFilter.API_VERSION_HEADER;

import dev.tenancy.core.TenantInfo;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The API version a request is served with: the tenant's pinned one or the default, or the one the request asks for
 * if the application supports it and the tenant allows it.
 */
final class ApiVersionPin {

  private final @Nullable String defaultApiVersion;
  private final Set<String> supportedApiVersions;

  ApiVersionPin(@Nullable String defaultApiVersion, Set<String> supportedApiVersions) {
    this.defaultApiVersion = defaultApiVersion;
    this.supportedApiVersions = Set.copyOf(supportedApiVersions);
  }


  /** @return whether the request may go on; if not, a 400 problem was written */
  boolean pin(HttpServletRequest request, HttpServletResponse response, TenantInfo info) {
    String pinned = info.configuration().findApiVersion().orElse(defaultApiVersion);
    String asked = request.getHeader(API_VERSION_HEADER);
    String version = pinned;
    if (asked != null && !asked.isBlank() && !asked.trim().equals(pinned)) {
      asked = asked.trim();
      Set<String> allowed = allowedVersions(info);
      if (!allowed.contains(asked)) {
        Refusal.send(request, response, Problem.of(ProblemType.VALIDATION_FAILED,
                "API version '" + cut(asked, 32) + "' is not available to this tenant.")
            .with("allowedApiVersions", List.copyOf(allowed)));
        return false;
      }
      version = asked;
    }
    if (version != null) {
      request.setAttribute(TenancyRequest.API_VERSION, version);
      response.setHeader(API_VERSION_HEADER, version);
    }
    return true;
  }

  private Set<String> allowedVersions(TenantInfo info) {
    Optional<String> setting = info.configuration().setting(ALLOWED_API_VERSIONS_SETTING);
    if (setting.isEmpty()) {
      return supportedApiVersions;
    }
    Set<String> allowed = new LinkedHashSet<>();
    for (String version : setting.get().split(",")) {
      String v = version.trim();
      // A tenant setting can narrow the versions the application supports, never add one.
      if (!v.isEmpty() && (supportedApiVersions.isEmpty() || supportedApiVersions.contains(v))) {
        allowed.add(v);
      }
    }
    return allowed;
  }

  private static String cut(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max);
  }
}
