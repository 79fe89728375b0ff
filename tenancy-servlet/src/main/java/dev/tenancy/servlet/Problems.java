package dev.tenancy.servlet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Writes {@link Problem}s as {@code application/problem+json} (RFC 9457) responses: the only way Tenancy's filter and
 * servlets report errors, so that every error has the same shape and none carries a stack trace.
 *
 * <pre>{@code
 * Problems.write(request, response, Problem.of(ProblemType.NOT_FOUND, "No tenant with that id or slug."));
 * }</pre>
 *
 * @since 0.1.0
 */
public final class Problems {

  /** The media type of problem responses. */
  public static final String MEDIA_TYPE = "application/problem+json";

  private static final ObjectMapper JSON = new ObjectMapper();

  private Problems() {
  }

  /**
   * Writes a problem, filling in {@code instance} (the request path) and {@code traceId}
   * ({@link TenancyRequest#traceId}) when the problem has none.
   *
   * @param request the request the problem answers
   * @param response the response to write to
   * @param problem the problem
   * @return {@code false} if the response was already committed, so nothing could be written
   * @throws UncheckedIOException if writing fails
   */
  public static boolean write(HttpServletRequest request, HttpServletResponse response, Problem problem) {
    Objects.requireNonNull(request, "request");
    Problem filled = problem;
    if (filled.instance() == null) {
      filled = filled.withInstance(request.getRequestURI());
    }
    if (filled.traceId() == null) {
      filled = filled.withTraceId(TenancyRequest.traceId(request).orElse(null));
    }
    return write(response, filled);
  }

  /**
   * Writes a problem as it is: status, {@code Content-Type: application/problem+json}, {@code Cache-Control:
   * no-store}, and the JSON body. Headers set earlier (such as {@code Retry-After}) are kept; a body written earlier
   * but not yet committed is discarded.
   *
   * @param response the response to write to
   * @param problem the problem
   * @return {@code false} if the response was already committed, so nothing could be written
   * @throws UncheckedIOException if writing fails
   */
  public static boolean write(HttpServletResponse response, Problem problem) {
    Objects.requireNonNull(response, "response");
    Objects.requireNonNull(problem, "problem");
    if (response.isCommitted()) {
      return false;
    }
    response.resetBuffer();
    byte[] body = bytes(problem);
    response.setStatus(problem.status());
    response.setContentType(MEDIA_TYPE);
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response.setHeader("Cache-Control", "no-store");
    response.setContentLength(body.length);
    try {
      OutputStream out;
      try {
        out = response.getOutputStream();
      } catch (IllegalStateException writerInUse) {
        // The application already took the writer: write the same JSON through it.
        response.getWriter().write(new String(body, StandardCharsets.UTF_8));
        response.getWriter().flush();
        return true;
      }
      out.write(body);
      out.flush();
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the " + problem.problemType().code() + " problem response", e);
    }
  }

  /**
   * The JSON of a problem: {@code type}, {@code title}, {@code status}, then {@code detail}, {@code instance} and
   * {@code traceId} when present, then the extension members.
   *
   * @param problem the problem
   * @return the JSON text
   */
  public static String json(Problem problem) {
    return new String(bytes(problem), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(Problem problem) {
    Map<String, Object> members = new LinkedHashMap<>();
    members.put("type", problem.type().toString());
    members.put("title", problem.title());
    members.put("status", problem.status());
    if (problem.detail() != null) {
      members.put("detail", problem.detail());
    }
    if (problem.instance() != null) {
      members.put("instance", problem.instance());
    }
    if (problem.traceId() != null) {
      members.put("traceId", problem.traceId());
    }
    members.putAll(problem.extensions());
    try {
      return JSON.writeValueAsBytes(members);
    } catch (JsonProcessingException e) {
      // An extension value Jackson cannot write is a programming error; never let it turn into a stack trace body.
      throw new IllegalArgumentException("an extension member of the " + problem.problemType().code()
          + " problem cannot be written as JSON: " + e.getOriginalMessage(), e);
    }
  }
}
