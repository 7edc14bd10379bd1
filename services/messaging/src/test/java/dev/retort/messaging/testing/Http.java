package dev.retort.messaging.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Plain HTTP GETs against the running service. */
public final class Http {
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final Pattern LABEL = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=\"([^\"]*)\"");

  private Http() {}

  /** Returns the response of a GET. */
  public static HttpResponse<String> get(String url) {
    try {
      return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
          .GET().build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Polls a URL until its body satisfies a condition, or fails after the timeout. */
  public static String await(String url, Predicate<String> condition, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String body = "";
    while (System.nanoTime() < deadline) {
      body = get(url).body();
      if (condition.test(body)) {
        return body;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("condition not met within " + timeout + "; last body:\n" + body);
  }

  /**
   * Returns the value of the first Prometheus sample with a name and (at least) the given labels,
   * or NaN when there is none.
   *
   * @param metrics the text of /q/metrics
   * @param name the sample name, e.g. {@code retort_teacher_outputs_total}
   * @param labels label=value pairs the sample must carry, e.g. {@code source=computed}
   */
  public static double sample(String metrics, String name, String... labels) {
    for (String line : metrics.split("\n")) {
      if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      Map<String, String> found = new HashMap<>();
      Matcher m = LABEL.matcher(line.substring(0, space));
      while (m.find()) {
        found.put(m.group(1), m.group(2));
      }
      boolean all = true;
      for (String l : labels) {
        String[] kv = l.split("=", 2);
        all &= kv[1].equals(found.get(kv[0]));
      }
      if (all) {
        return Double.parseDouble(line.substring(space + 1).trim());
      }
    }
    return Double.NaN;
  }
}
