package dev.tenancy.examples.spring;

import dev.tenancy.servlet.ProblemType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * Turns the controllers' refusals and Spring MVC's own (unreadable body, wrong media type, malformed id) into
 * {@code application/problem+json} with Tenancy's problem types; anything else is a 500 that shows no internals.
 * First in line, so Spring Boot's own problem-details handler does not answer these with {@code about:blank}.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class ProblemAdvice {

  private static final Logger LOG = LoggerFactory.getLogger(ProblemAdvice.class);

  @ExceptionHandler(ProblemException.class)
  ProblemDetail refused(ProblemException e) {
    return problem(e.type(), e.getMessage());
  }

  @ExceptionHandler(HttpMessageNotReadableException.class)
  ProblemDetail unreadable(HttpMessageNotReadableException e) {
    return problem(ProblemType.VALIDATION_FAILED, "The body must be a JSON object like {\"name\":\"…\",\"email\":\"…\"}");
  }

  @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
  ProblemDetail mediaType(HttpMediaTypeNotSupportedException e) {
    return problem(ProblemType.UNSUPPORTED_MEDIA_TYPE, "Send Content-Type: application/json");
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ProblemDetail badId(MethodArgumentTypeMismatchException e) {
    // A malformed id cannot name a lead: the same answer as for an id that does not exist.
    return problem(ProblemType.NOT_FOUND, "No such lead");
  }

  @ExceptionHandler(Exception.class)
  ProblemDetail failed(Exception e) {
    if (e instanceof ErrorResponse known) {
      // Spring MVC's own answers (405, 404 for an unknown path, 406...) keep their status; they carry no internals.
      return known.getBody();
    }
    LOG.error("Request failed", e);
    return problem(ProblemType.INTERNAL, "The request failed; the server log has the details");
  }

  private static ProblemDetail problem(ProblemType type, String detail) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(type.status()), detail);
    problem.setType(type.type());
    problem.setTitle(type.title());
    return problem;
  }
}
