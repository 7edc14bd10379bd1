package dev.retort.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits until an HTTP readiness URL answers 200, e.g. Quarkus' {@code /q/health/ready}.
 *
 * <p>Polls every 200 ms with short timeouts and no proxy (the URL is on 127.0.0.1). Stops early
 * when {@code keepWaiting} turns false, e.g. because the process has exited: a crashed service
 * fails at once instead of after the whole timeout.
 */
public final class HealthCheck {
  /** Pause between probes. */
  private static final long POLL_MS = 200;

  private HealthCheck() {}

  /**
   * Polls {@code url} until it answers 200.
   *
   * @param url the readiness URL
   * @param timeout how long to wait in total
   * @param keepWaiting checked between probes; false stops the wait (not ready)
   * @return whether it answered 200 in time, and the last status or error seen
   */
  public static Readiness await(URI url, Duration timeout, BooleanSupplier keepWaiting) {
    HttpClient client = HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(1))
        .proxy(HttpClient.Builder.NO_PROXY)
        .build();
    HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(2)).GET().build();
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer yet";
    while (keepWaiting.getAsBoolean()) {
      try {
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return Readiness.ok();
        }
        last = "HTTP " + response.statusCode() + ": " + abbreviate(response.body());
      } catch (IOException e) {
        last = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + url, e);
      }
      if (System.nanoTime() > deadline) {
        break;
      }
      try {
        Thread.sleep(POLL_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + url, e);
      }
    }
    return Readiness.failed(last);
  }

  private static String abbreviate(String body) {
    String oneLine = body.replaceAll("\\s+", " ").strip();
    return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "...";
  }
}
