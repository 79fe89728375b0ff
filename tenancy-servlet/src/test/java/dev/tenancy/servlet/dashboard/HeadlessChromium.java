package dev.tenancy.servlet.dashboard;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * A minimal W3C WebDriver client for Debian's {@code chromium} + {@code chromium-driver}, over
 * {@code java.net.http}. Selenium would pull some twenty libraries into a build that enforces dependency
 * convergence, for the eight commands this test needs.
 */
final class HeadlessChromium implements AutoCloseable {

  static final Path CHROMIUM = Path.of(System.getProperty("tenancy.chromium", "/usr/bin/chromium"));
  static final Path CHROMEDRIVER = Path.of(System.getProperty("tenancy.chromedriver", "/usr/bin/chromedriver"));
  private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Process driver;
  private final URI session;

  /** @return why the browser cannot run here, or empty when Chromium and its driver are both installed */
  static Optional<String> missing() {
    List<String> missing = new ArrayList<>();
    if (!Files.isExecutable(CHROMIUM)) {
      missing.add(CHROMIUM.toString());
    }
    if (!Files.isExecutable(CHROMEDRIVER)) {
      missing.add(CHROMEDRIVER.toString());
    }
    return missing.isEmpty() ? Optional.empty() : Optional.of(String.join(" and ", missing) + " not installed "
        + "(apt-get install chromium chromium-driver; .ci/run does it)");
  }

  /**
   * Skips the calling test class when the browser is missing, with a message that says how to install it; fails it
   * instead when {@code TENANCY_IT_REQUIRED=true} (as CI sets), so a CI machine without Chromium cannot pass silently.
   */
  static void skipOrFailWhenMissing() {
    Optional<String> missing = missing();
    if (missing.isPresent()) {
      String message = "Dashboard browser test needs headless Chromium: " + missing.get();
      if (Boolean.parseBoolean(System.getenv("TENANCY_IT_REQUIRED"))) {
        throw new IllegalStateException(message + " — and TENANCY_IT_REQUIRED=true");
      }
      Assumptions.abort(message + " — skipped (set TENANCY_IT_REQUIRED=true to fail instead)");
    }
  }

  HeadlessChromium(Path workDir, int width, int height) throws IOException {
    Files.createDirectories(workDir);
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    driver = new ProcessBuilder(CHROMEDRIVER.toString(), "--port=" + port)
        .redirectErrorStream(true)
        .redirectOutput(workDir.resolve("chromedriver.log").toFile())
        .start();
    URI base = URI.create("http://127.0.0.1:" + port);
    await("chromedriver ready").atMost(Duration.ofSeconds(20)).ignoreExceptions()
        .until(() -> call("GET", base.resolve("/status"), null).path("ready").asBoolean());

    ObjectNode capabilities = json.createObjectNode();
    ObjectNode always = capabilities.putObject("capabilities").putObject("alwaysMatch");
    always.put("browserName", "chrome");
    ObjectNode options = always.putObject("goog:chromeOptions");
    options.put("binary", CHROMIUM.toString());
    Path profile = Files.createTempDirectory("tenancy-chromium-");
    ArrayNode args = options.putArray("args");
    // The flags this machine needs: no sandbox as root, no GPU, and no background traffic on a closed network.
    for (String arg : List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=" + width + "," + height,
        "--force-device-scale-factor=1", "--lang=en-GB")) {
      args.add(arg);
    }
    String id;
    try {
      id = call("POST", base.resolve("/session"), capabilities).path("sessionId").asText();
    } catch (RuntimeException e) {
      driver.destroy();
      throw e;
    }
    session = base.resolve("/session/" + id + "/");
  }

  void open(String url) {
    command("POST", "url", json.createObjectNode().put("url", url));
  }

  void resize(int width, int height) {
    command("POST", "window/rect", json.createObjectNode().put("width", width).put("height", height));
  }

  /** @return the elements the CSS selector finds now (stale the moment the page re-renders) */
  List<String> findAll(String css) {
    JsonNode found = command("POST", "elements",
        json.createObjectNode().put("using", "css selector").put("value", css));
    List<String> ids = new ArrayList<>();
    found.forEach(node -> ids.add(node.path(ELEMENT).asText()));
    return ids;
  }

  String find(String css) {
    List<String> ids = findAll(css);
    if (ids.isEmpty()) {
      throw new IllegalStateException("no element matches " + css);
    }
    return ids.get(0);
  }

  /** @return the rendered text of the first element the selector finds */
  String text(String css) {
    return command("GET", "element/" + find(css) + "/text", null).asText();
  }

  String attribute(String css, String name) {
    JsonNode value = command("GET", "element/" + find(css) + "/attribute/" + name, null);
    return value.isNull() ? null : value.asText();
  }

  boolean displayed(String css) {
    List<String> ids = findAll(css);
    return !ids.isEmpty() && command("GET", "element/" + ids.get(0) + "/displayed", null).asBoolean();
  }

  void type(String css, String text) {
    String id = find(css);
    command("POST", "element/" + id + "/clear", json.createObjectNode());
    command("POST", "element/" + id + "/value", json.createObjectNode().put("text", text));
  }

  void click(String css) {
    command("POST", "element/" + find(css) + "/click", json.createObjectNode());
  }

  /** Emulates {@code prefers-color-scheme: dark} (or light) through chromedriver's DevTools passthrough. */
  void colorScheme(String scheme) {
    ObjectNode body = json.createObjectNode().put("cmd", "Emulation.setEmulatedMedia");
    body.putObject("params").putArray("features").addObject().put("name", "prefers-color-scheme").put("value", scheme);
    command("POST", "goog/cdp/execute", body);
  }

  JsonNode script(String script) {
    ObjectNode body = json.createObjectNode().put("script", script);
    body.putArray("args");
    return command("POST", "execute/sync", body);
  }

  void screenshot(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Files.write(file, Base64.getDecoder().decode(command("GET", "screenshot", null).asText()));
  }

  @Override
  public void close() {
    try {
      call("DELETE", session, null);
    } catch (RuntimeException ignored) {
      // The driver is stopped below either way.
    } finally {
      driver.destroy();
    }
  }

  private JsonNode command(String method, String path, JsonNode body) {
    return call(method, session.resolve(path), body);
  }

  private JsonNode call(String method, URI uri, JsonNode body) {
    try {
      HttpRequest.BodyPublisher publisher = body == null
          ? HttpRequest.BodyPublishers.noBody()
          : HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body));
      HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
          .header("Content-Type", "application/json").method(method, publisher).build();
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      JsonNode value = json.readTree(response.body()).path("value");
      if (response.statusCode() >= 400) {
        throw new IllegalStateException("WebDriver " + method + " " + uri.getPath() + " failed: "
            + value.path("error").asText() + ": " + value.path("message").asText());
      }
      return value;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
