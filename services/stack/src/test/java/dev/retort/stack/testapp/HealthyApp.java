package dev.retort.stack.testapp;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A tiny service for process tests: serves {@code /q/health/ready} on {@code quarkus.http.port}.
 *
 * <p>{@code -Dapp.fail=true} makes it print a message and exit with code 3 instead, to test how
 * start failures are reported; {@code -Dapp.dieAfterMs=N} makes it exit with code 4 N ms after it
 * started listening, to test a service that keeps crashing.
 */
public final class HealthyApp {
  private HealthyApp() {}

  /**
   * Runs the service until killed.
   *
   * @param args unused
   * @throws IOException if the port cannot be bound
   */
  public static void main(String[] args) throws IOException {
    if (Boolean.getBoolean("app.fail")) {
      System.out.println("boom: HealthyApp was told to fail at startup");
      System.exit(3);
    }
    int port = Integer.parseInt(System.getProperty("quarkus.http.port"));
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    server.createContext("/q/health/ready", exchange -> {
      byte[] body = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    System.out.println(
        "HealthyApp listening on " + port + " as pid " + ProcessHandle.current().pid());
    long dieAfter = Long.getLong("app.dieAfterMs", -1);
    if (dieAfter >= 0) {
      try {
        Thread.sleep(dieAfter);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      System.out.println("HealthyApp crashing as told");
      Runtime.getRuntime().halt(4);
    }
  }
}
