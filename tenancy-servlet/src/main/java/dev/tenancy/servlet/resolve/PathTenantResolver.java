package dev.tenancy.servlet.resolve;

import dev.tenancy.core.identity.TenantPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** The path segment after a prefix. */
final class PathTenantResolver implements TenantResolver {

  private final String prefix;

  PathTenantResolver(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    if (!prefix.startsWith("/") || !prefix.endsWith("/")) {
      throw new IllegalArgumentException("path prefix must start and end with '/', like /api/v1/t/, was '" + prefix
          + "'");
    }
    this.prefix = prefix;
  }

  @Override
  public Optional<String> resolve(HttpServletRequest request, @Nullable TenantPrincipal principal) {
    String uri = request.getRequestURI();
    String context = request.getContextPath();
    String path = context != null && !context.isEmpty() && uri.startsWith(context) ? uri.substring(context.length())
        : uri;
    if (!path.startsWith(prefix)) {
      return Optional.empty();
    }
    int end = path.indexOf('/', prefix.length());
    return Optional.of(end < 0 ? path.substring(prefix.length()) : path.substring(prefix.length(), end));
  }

  @Override
  public String source() {
    return "path";
  }

  @Override
  public String toString() {
    return "TenantResolver[path " + prefix + "]";
  }
}
