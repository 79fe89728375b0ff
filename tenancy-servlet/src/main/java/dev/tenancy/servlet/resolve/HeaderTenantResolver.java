package dev.tenancy.servlet.resolve;

import dev.tenancy.core.identity.TenantPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** A header naming the tenant. */
final class HeaderTenantResolver implements TenantResolver {

  private final String name;
  private final String source;

  HeaderTenantResolver(String name) {
    if (Objects.requireNonNull(name, "name").isBlank()) {
      throw new IllegalArgumentException("the tenant header name must not be blank");
    }
    this.name = name;
    this.source = "header:" + name;
  }

  @Override
  public Optional<String> resolve(HttpServletRequest request, @Nullable TenantPrincipal principal) {
    String value = request.getHeader(name);
    if (value == null) {
      return Optional.empty();
    }
    // An empty header is a reference too (to no tenant): it must not silently fall through to the other sources.
    return Optional.of(value.trim());
  }

  @Override
  public String source() {
    return source;
  }

  @Override
  public String toString() {
    return "TenantResolver[" + source + "]";
  }
}
