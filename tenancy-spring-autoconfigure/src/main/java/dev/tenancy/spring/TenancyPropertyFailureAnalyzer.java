package dev.tenancy.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a {@link TenancyPropertyException} into Spring Boot's start-up report, so "APPLICATION FAILED TO START" says
 * which {@code tenancy.*} property to set instead of showing a stack trace. Registered in
 * {@code META-INF/spring.factories}.
 */
final class TenancyPropertyFailureAnalyzer extends AbstractFailureAnalyzer<TenancyPropertyException> {

  TenancyPropertyFailureAnalyzer() {
  }

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, TenancyPropertyException cause) {
    return new FailureAnalysis(cause.problem(), cause.action(), cause);
  }
}
