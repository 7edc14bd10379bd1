package dev.retort.deploy;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** What the services' own sources say: their packaged application.properties. */
final class ServiceFacts {
  private ServiceFacts() {}

  /** Returns a service's src/main/resources/application.properties. */
  static Properties applicationProperties(String service) {
    try {
      return properties(Files.readString(Repo.root().resolve("services").resolve(service)
          .resolve("src/main/resources/application.properties")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses properties text. */
  static Properties properties(String text) {
    Properties p = new Properties();
    try {
      p.load(new StringReader(text));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }

  /** Returns the HTTP port a service listens on in production (quarkus.http.port). */
  static int httpPort(String service) {
    Properties p = applicationProperties(service);
    String port = p.getProperty("%prod.quarkus.http.port", p.getProperty("quarkus.http.port"));
    if (port == null) {
      throw new AssertionError(service + " sets no quarkus.http.port");
    }
    return Integer.parseInt(port.strip());
  }

  /** Returns the metrics path (Quarkus's default /q/metrics unless the service moves it). */
  static String metricsPath(String service) {
    String path = applicationProperties(service).getProperty("quarkus.micrometer.export.prometheus.path", "/q/metrics");
    return path.startsWith("/") ? path : "/q/" + path;
  }

  /** Returns whether a service's application.properties sets a key, in any profile. */
  static boolean setsKey(String service, String key) {
    for (String k : applicationProperties(service).stringPropertyNames()) {
      if (k.equals(key) || (k.startsWith("%") && k.substring(k.indexOf('.') + 1).equals(key))) {
        return true;
      }
    }
    return false;
  }
}
