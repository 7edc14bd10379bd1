package dev.retort.stack;

import dev.retort.core.RetortException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the classpath of the Kafka broker ({@code org.apache.kafka:kafka_2.13} and its runtime
 * dependencies) for {@link ProcessKafkaBroker}.
 *
 * <p>The build writes it: {@code maven-dependency-plugin:build-classpath} in this module's pom
 * writes {@code target/kafka-broker.classpath} (absolute paths into the local Maven repository) and
 * packages it as the resource {@value #RESOURCE}. It therefore works wherever this module was
 * built or installed on the same machine: tests, the CLI run from the repository, and any jar that
 * includes retort-stack. Sources, in order:
 *
 * <ol>
 *   <li>an explicit classpath: system property {@value #PROPERTY} or environment variable
 *       {@value #ENV} (entries separated by the platform's path separator);
 *   <li>the packaged resource, if every jar it names exists;
 *   <li>the calling JVM's own classpath, if it can load {@code kafka.Kafka} (e.g. a fat jar that
 *       bundles the broker).
 * </ol>
 *
 * <p>If none applies, the error names the missing jar and says how to fix it (rebuild this module,
 * which resolves the jars into the local repository, or set {@value #ENV}).
 */
public final class BrokerClasspath {
  /** The packaged classpath file. */
  public static final String RESOURCE = "/dev/retort/stack/kafka-broker.classpath";
  /** System property with an explicit broker classpath. */
  public static final String PROPERTY = "retort.kafka.classpath";
  /** Environment variable with an explicit broker classpath. */
  public static final String ENV = "RETORT_KAFKA_CLASSPATH";

  private BrokerClasspath() {}

  /**
   * Returns the broker classpath, joined with the platform's path separator.
   *
   * @return the classpath for {@code java -cp}
   * @throws RetortException if no complete classpath can be found
   */
  public static String resolve() {
    String explicit = System.getProperty(PROPERTY, System.getenv(ENV));
    if (explicit != null && !explicit.isBlank()) {
      return check(explicit, PROPERTY + " / " + ENV);
    }
    Optional<String> packaged = readResource();
    RetortException problem = null;
    if (packaged.isPresent()) {
      try {
        return check(packaged.get(), "resource " + RESOURCE);
      } catch (RetortException e) {
        problem = e;
      }
    }
    if (jvmHasBroker()) {
      return System.getProperty("java.class.path");
    }
    if (problem != null) {
      throw problem;
    }
    throw new RetortException("resource " + RESOURCE,
        "the Kafka broker classpath file is missing and this JVM cannot load kafka.Kafka",
        "Build retort-stack with Maven (mvn -pl services/stack -am install -DskipTests), which "
            + "writes it, or set " + ENV + " to the classpath of org.apache.kafka:kafka_2.13");
  }

  /**
   * Splits a classpath text (one line, entries separated by the path separator) into paths.
   *
   * @param text the classpath text
   * @return the entries, without blanks
   */
  public static List<Path> parse(String text) {
    List<Path> entries = new ArrayList<>();
    for (String entry : text.strip().split(File.pathSeparator)) {
      if (!entry.isBlank()) {
        entries.add(Path.of(entry.strip()));
      }
    }
    return entries;
  }

  /**
   * Checks that every entry of a classpath exists.
   *
   * @param text the classpath text
   * @param source where it came from, for the error message
   * @return the classpath, normalised to one line
   * @throws RetortException naming the first missing entry
   */
  public static String check(String text, String source) {
    List<Path> entries = parse(text);
    if (entries.isEmpty()) {
      throw new RetortException(source, "the Kafka broker classpath is empty",
          "Set it to the classpath of org.apache.kafka:kafka_2.13, or unset it");
    }
    long missing = entries.stream().filter(p -> !Files.exists(p)).count();
    Optional<Path> first = entries.stream().filter(p -> !Files.exists(p)).findFirst();
    if (first.isPresent()) {
      throw new RetortException(source,
          missing + " of " + entries.size() + " entries of the Kafka broker classpath do not "
              + "exist, the first is " + first.get(),
          "Rebuild retort-stack on this machine (mvn -pl services/stack -am install -DskipTests) "
              + "so that Maven resolves the broker jars into the local repository, or set " + ENV);
    }
    List<String> strings = entries.stream().map(Path::toString).toList();
    return String.join(File.pathSeparator, strings);
  }

  private static Optional<String> readResource() {
    try (InputStream in = BrokerClasspath.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        return Optional.empty();
      }
      return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read resource " + RESOURCE, e);
    }
  }

  private static boolean jvmHasBroker() {
    try {
      Class.forName("kafka.Kafka", false, BrokerClasspath.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
