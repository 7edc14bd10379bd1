package dev.retort.it;

import dev.retort.cli.platform.LocalPlatform;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Reads a service's Prometheus metrics. */
final class Metrics {
  private Metrics() {}

  /**
   * Returns the service's /q/metrics text, over HTTP/1.1 as Prometheus scrapes. With the JDK
   * client's default (HTTP/2 by h2c upgrade) a scrape once read the page's text as HTTP/2 frame
   * headers ("Frame type(48) length(3027508) exceeds MAX_FRAME_SIZE") and failed the test.
   */
  static String scrape(LocalPlatform p, String service) {
    try {
      int port = p.ports().get(service);
      return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
          .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics")).build(), HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Sums the values of a metric's series whose labels contain {@code labelFilter}. */
  static long sum(LocalPlatform p, String service, String metric, String labelFilter) {
    double total = 0;
    for (String line : scrape(p, service).split("\n")) {
      if (line.startsWith(metric) && (line.charAt(metric.length()) == '{' || line.charAt(metric.length()) == ' ') && line.contains(labelFilter)) {
        total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return Math.round(total);
  }

  /** Returns the largest finite value of a metric's series whose labels contain {@code labelFilter}, or 0. */
  static double max(LocalPlatform p, String service, String metric, String labelFilter) {
    double max = 0;
    for (String line : scrape(p, service).split("\n")) {
      if (line.startsWith(metric) && (line.charAt(metric.length()) == '{' || line.charAt(metric.length()) == ' ') && line.contains(labelFilter)) {
        try {
          double v = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
          if (Double.isFinite(v)) {
            max = Math.max(max, v);
          }
        } catch (NumberFormatException e) {
          // +Inf/-Inf as Prometheus writes them: not a value.
        }
      }
    }
    return max;
  }
}
