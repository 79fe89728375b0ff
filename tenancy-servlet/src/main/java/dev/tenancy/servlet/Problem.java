package dev.tenancy.servlet;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * An RFC 9457 problem: the body of every error response, written by {@link Problems#write}.
 *
 * <p>The detail is for the caller: say what to fix, never include a stack trace, SQL or another tenant's id or data.
 *
 * <pre>{@code
 * Problem problem = Problem.of(ProblemType.VALIDATION_FAILED, "The request has invalid fields.")
 *     .with("errors", List.of(Map.of("field", "slug", "message", "must be 3 to 63 lowercase letters")));
 * Problems.write(request, response, problem);
 * }</pre>
 *
 * @param problemType the problem type (gives {@code type}, {@code title} and {@code status})
 * @param detail the explanation for this occurrence, or {@code null}
 * @param instance the URI reference of this occurrence (normally the request path), or {@code null}
 * @param traceId the request's trace id, or {@code null}
 * @param extensions further members, e.g. {@code errors} for field-level validation messages; values must be
 *     serialisable by Jackson
 * @since 0.1.0
 */
public record Problem(ProblemType problemType, @Nullable String detail, @Nullable String instance,
    @Nullable String traceId, Map<String, Object> extensions) {

  private static final Set<String> RESERVED = Set.of("type", "title", "status", "detail", "instance", "traceId");

  /**
   * Checks the parts and copies the extensions.
   *
   * @throws IllegalArgumentException if an extension uses a standard member's name
   */
  public Problem {
    Objects.requireNonNull(problemType, "problemType");
    Objects.requireNonNull(extensions, "extensions");
    for (String name : extensions.keySet()) {
      if (RESERVED.contains(name)) {
        throw new IllegalArgumentException("extension member '" + name + "' would hide the standard member; "
            + "use another name");
      }
    }
    extensions = Collections.unmodifiableMap(new LinkedHashMap<>(extensions));
  }

  /**
   * A problem without instance and trace id (filled in by {@link Problems#write(jakarta.servlet.http.HttpServletRequest,
   * jakarta.servlet.http.HttpServletResponse, Problem)}).
   *
   * @param type the problem type
   * @param detail the explanation, or {@code null}
   * @return the problem
   */
  public static Problem of(ProblemType type, @Nullable String detail) {
    return new Problem(type, detail, null, null, Map.of());
  }

  /** @return the {@code type} URI */
  public URI type() {
    return problemType.type();
  }

  /** @return the {@code title} */
  public String title() {
    return problemType.title();
  }

  /** @return the HTTP {@code status} */
  public int status() {
    return problemType.status();
  }

  /**
   * @param name the member's name (not a standard one)
   * @param value its value, serialisable by Jackson
   * @return a copy with that extension member added or replaced
   */
  public Problem with(String name, Object value) {
    Map<String, Object> copy = new LinkedHashMap<>(extensions);
    copy.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
    return new Problem(problemType, detail, instance, traceId, copy);
  }

  /**
   * @param newInstance the occurrence's URI reference
   * @return a copy with that instance
   */
  public Problem withInstance(@Nullable String newInstance) {
    return new Problem(problemType, detail, newInstance, traceId, extensions);
  }

  /**
   * @param newTraceId the request's trace id
   * @return a copy with that trace id
   */
  public Problem withTraceId(@Nullable String newTraceId) {
    return new Problem(problemType, detail, instance, newTraceId, extensions);
  }
}
