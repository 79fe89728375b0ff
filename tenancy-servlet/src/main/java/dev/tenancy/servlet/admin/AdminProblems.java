package dev.tenancy.servlet.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tenancy.servlet.Problem;
import dev.tenancy.servlet.ProblemType;
import dev.tenancy.servlet.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes an {@link AdminException} as {@code application/problem+json}: through {@link Problems} for the contract's
 * types, in the same shape for the statuses they do not cover (405, a refused restore's 422).
 */
final class AdminProblems {

  private static final Map<String, ProblemType> TYPES = Arrays.stream(ProblemType.values())
      .collect(Collectors.toUnmodifiableMap(ProblemType::code, type -> type));

  private AdminProblems() {
  }

  static void write(ObjectMapper mapper, HttpServletRequest request, HttpServletResponse response, String traceId,
      AdminException e) throws IOException {
    e.headers().forEach(response::setHeader);
    ProblemType type = TYPES.get(e.code());
    if (type != null && type.status() == e.status()) {
      Problem problem = new Problem(type, e.detail(), request.getRequestURI(), traceId,
          e.errors().isEmpty() ? Map.of() : Map.of("errors", e.errors()));
      Problems.write(request, response, problem);
      return;
    }
    // Statuses the contract's types do not cover (405, a refused restore's 422): the same shape, written here.
    response.resetBuffer();
    response.setStatus(e.status());
    response.setContentType("application/problem+json");
    response.setCharacterEncoding("UTF-8");
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", ProblemType.BASE + e.code());
    body.put("title", title(e.code()));
    body.put("status", e.status());
    body.put("detail", e.detail());
    body.put("instance", request.getRequestURI());
    body.put("traceId", traceId);
    if (!e.errors().isEmpty()) {
      body.put("errors", e.errors());
    }
    mapper.writeValue(response.getOutputStream(), body);
  }

  private static String title(String code) {
    String words = code.replace('-', ' ');
    return Character.toUpperCase(words.charAt(0)) + words.substring(1);
  }
}
