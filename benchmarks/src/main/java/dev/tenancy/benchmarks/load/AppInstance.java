package dev.tenancy.benchmarks.load;

import dev.tenancy.examples.admin.AdminApp;
import dev.tenancy.examples.admin.AppConfig;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One running example app: either a separate JVM started from this jar's class path with the current {@code java}
 * (the default: the app's heap, GC and JIT are not the load generator's, as in a deployment), or in-process.
 */
final class AppInstance implements AutoCloseable {

  private static final Pattern LISTENING = Pattern.compile("Tenancy example listening on (http://\\S+)");
  private static final Pattern ADMIN_KEY = Pattern.compile("Platform admin API key \\(shown once\\): (\\S+)");

  private final String name;
  private final URI base;
  private final String adminApiKey;
  private final @Nullable Process process;
  private final @Nullable AdminApp app;
  private @Nullable Path ownedDirectory;

  private AppInstance(String name, URI base, String adminApiKey, @Nullable Process process, @Nullable AdminApp app) {
    this.name = name;
    this.base = base;
    this.adminApiKey = adminApiKey;
    this.process = process;
    this.app = app;
  }

  /** Starts the app in this JVM (only sensible with {@code h2:mem}: the app keeps files under ./data otherwise). */
  static AppInstance inProcess(String name, Map<String, String> environment, String... flags) throws Exception {
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    AdminApp app = AdminApp.start(AppConfig.from(environment, flags), quiet);
    return new AppInstance(name, URI.create("http://127.0.0.1:" + app.port()), app.adminApiKey(), null, app);
  }

  /**
   * Starts the app as a separate JVM in {@code workingDirectory} (where it keeps ./data) and waits until it listens.
   *
   * @param environment added to this process's environment (TENANCY_… variables)
   * @param heap the {@code -Xmx} value, e.g. {@code 1g}
   */
  static AppInstance process(String name, Map<String, String> environment, Path workingDirectory, String heap,
      String... flags) throws Exception {
    String javaBinary = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // Absolute entries: the child runs in another working directory.
    StringBuilder classPath = new StringBuilder();
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      classPath.append(classPath.length() == 0 ? "" : java.io.File.pathSeparator)
          .append(Path.of(entry).toAbsolutePath());
    }
    List<String> command = new ArrayList<>(List.of(javaBinary, "-Xmx" + heap, "-cp", classPath.toString(),
        AdminApp.class.getName()));
    command.addAll(List.of(flags));
    ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile()).redirectErrorStream(true);
    // Only what the scenario sets: a TENANCY_REDIS_URL in the caller's shell must not change what is measured.
    builder.environment().keySet().removeIf(variable -> variable.startsWith("TENANCY_"));
    builder.environment().putAll(environment);
    Process process = builder.start();
    CompletableFuture<URI> listening = new CompletableFuture<>();
    CompletableFuture<String> key = new CompletableFuture<>();
    if (environment.containsKey("TENANCY_ADMIN_API_KEY")) {
      key.complete(environment.get("TENANCY_ADMIN_API_KEY"));
    }
    StringBuilder log = new StringBuilder();
    // -Dload.appLogDir=DIR keeps each app's whole output in DIR/<name>.log (put slf4j-simple first on the class path
    // to get its log lines; the jar's own provider is slf4j-nop).
    String logDir = System.getProperty("load.appLogDir");
    java.io.Writer appLog = logDir == null ? java.io.Writer.nullWriter() : java.nio.file.Files.newBufferedWriter(
        java.nio.file.Files.createDirectories(Path.of(logDir)).resolve(name + ".log"), StandardCharsets.UTF_8);
    Thread reader = new Thread(() -> {
      // Drained for the whole life of the process, so it never blocks on a full pipe.
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
        String line;
        while ((line = lines.readLine()) != null) {
          appLog.write(line);
          appLog.write('\n');
          appLog.flush();
          synchronized (log) {
            if (log.length() < 20_000) {
              log.append(line).append('\n');
            }
          }
          Matcher k = ADMIN_KEY.matcher(line);
          if (k.find()) {
            key.complete(k.group(1));
          }
          Matcher l = LISTENING.matcher(line);
          if (l.find()) {
            listening.complete(URI.create(l.group(1)));
          }
        }
      } catch (IOException e) {
        listening.completeExceptionally(e);
      } finally {
        try {
          appLog.close();
        } catch (IOException ignored) {
          // Only the diagnostic copy is lost.
        }
      }
      listening.completeExceptionally(new IllegalStateException("app " + name + " exited before listening"));
    }, "app-" + name + "-output");
    reader.setDaemon(true);
    reader.start();
    try {
      URI base = listening.get(120, TimeUnit.SECONDS);
      return new AppInstance(name, base, key.get(5, TimeUnit.SECONDS), process, null);
    } catch (Exception e) {
      process.destroyForcibly();
      synchronized (log) {
        throw new IllegalStateException("app " + name + " did not start: " + e + "\n" + log, e);
      }
    }
  }

  /**
   * Starts the app for a single-instance scenario: a separate JVM in a fresh temporary directory unless
   * {@code inProcess} (H2 only).
   */
  static AppInstance start(String name, boolean inProcess, Map<String, String> environment, String... flags)
      throws Exception {
    if (inProcess) {
      if (environment.containsKey("TENANCY_DB_URL") && !environment.get("TENANCY_DB_URL").equals("h2:mem")) {
        throw new IllegalArgumentException("--in-process only with H2 in memory: the app keeps files under ./data");
      }
      return inProcess(name, environment, flags);
    }
    Path directory = java.nio.file.Files.createTempDirectory("tenancy-load-" + name);
    try {
      AppInstance instance = process(name, environment, directory, "1g", flags);
      instance.ownedDirectory = directory;
      return instance;
    } catch (Exception e) {
      delete(directory);
      throw e;
    }
  }

  /** Deletes a working directory the app kept ./data in (secrets, backups), best effort. */
  static void delete(Path directory) {
    try (java.util.stream.Stream<Path> paths = java.nio.file.Files.walk(directory)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      System.err.println("could not delete " + directory + ": " + e.getMessage());
    }
  }

  /** @return a random HS256 secret for the app instances of one run */
  static String jwtSecret() {
    byte[] bytes = new byte[32];
    new java.security.SecureRandom().nextBytes(bytes);
    return java.util.HexFormat.of().formatHex(bytes);
  }

  String name() {
    return name;
  }

  URI base() {
    return base;
  }

  String adminApiKey() {
    return adminApiKey;
  }

  /** @return the app JVM's pid, or this JVM's when in-process */
  long pid() {
    return process != null ? process.pid() : ProcessHandle.current().pid();
  }

  @Override
  public void close() throws Exception {
    if (app != null) {
      app.close();
    }
    if (process != null) {
      // SIGTERM: the app's shutdown hook closes its pools and stores.
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    if (ownedDirectory != null) {
      delete(ownedDirectory);
    }
  }
}
