package dev.tenancy.benchmarks;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.NOPLoggerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * An SLF4J backend for benchmarks: loggers print nothing, but the MDC is real — SLF4J's {@link BasicMDCAdapter}, a
 * {@code HashMap} per thread, the same shape as Logback's adapter — so a benchmark pays what a tenant scope's MDC
 * updates cost in production without measuring log output.
 *
 * <p>It is not registered as a service (the jar would then hold two providers); forks select it by name:
 *
 * <pre>{@code
 * -Dslf4j.provider=dev.tenancy.benchmarks.BasicMdcServiceProvider
 * }</pre>
 */
public final class BasicMdcServiceProvider implements SLF4JServiceProvider {

  /** The class name to pass in {@code -Dslf4j.provider}. */
  public static final String NAME = "dev.tenancy.benchmarks.BasicMdcServiceProvider";

  private final ILoggerFactory loggerFactory = new NOPLoggerFactory();
  private final IMarkerFactory markerFactory = new BasicMarkerFactory();
  private final MDCAdapter mdcAdapter = new BasicMDCAdapter();

  /** Creates the provider; SLF4J instantiates it reflectively. */
  public BasicMdcServiceProvider() {
  }

  /** @return a factory of loggers that discard everything */
  @Override
  public ILoggerFactory getLoggerFactory() {
    return loggerFactory;
  }

  /** @return SLF4J's basic marker factory */
  @Override
  public IMarkerFactory getMarkerFactory() {
    return markerFactory;
  }

  /** @return the map-per-thread MDC */
  @Override
  public MDCAdapter getMDCAdapter() {
    return mdcAdapter;
  }

  /** @return the SLF4J API version this provider is written against */
  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }

  /** Nothing to set up: everything is created with the provider. */
  @Override
  public void initialize() {
    // Fields are initialised at construction; SLF4J calls this once before use.
  }
}
