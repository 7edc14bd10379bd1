package dev.retort.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds {@code java} command lines that run with the same JDK as the calling JVM. */
public final class JavaCommand {
  private JavaCommand() {}

  /** Returns the {@code java} launcher of the running JVM. */
  public static Path javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }

  /**
   * Returns {@code java <jvmOptions> -Dk=v... -cp <classpath> <mainClass> <args>}.
   *
   * @param jvmOptions JVM options, e.g. {@code -Xmx512m}
   * @param systemProperties system properties, passed as {@code -Dkey=value}
   * @param classpath the classpath
   * @param mainClass the main class
   * @param args program arguments
   * @return the command, one element per argument
   */
  public static List<String> forMainClass(List<String> jvmOptions,
      Map<String, String> systemProperties, String classpath, String mainClass,
      List<String> args) {
    List<String> command = prefix(jvmOptions, systemProperties);
    command.add("-cp");
    command.add(classpath);
    command.add(mainClass);
    command.addAll(args);
    return command;
  }

  /**
   * Returns {@code java <jvmOptions> -Dk=v... -jar <jar> <args>}.
   *
   * @param jvmOptions JVM options
   * @param systemProperties system properties, passed as {@code -Dkey=value}
   * @param jar the executable jar (e.g. Quarkus' {@code quarkus-run.jar})
   * @param args program arguments
   * @return the command, one element per argument
   */
  public static List<String> forJar(List<String> jvmOptions, Map<String, String> systemProperties,
      Path jar, List<String> args) {
    List<String> command = prefix(jvmOptions, systemProperties);
    command.add("-jar");
    command.add(jar.toAbsolutePath().toString());
    command.addAll(args);
    return command;
  }

  /**
   * Returns the command run through {@code nice -n <niceness>}, which then replaces itself with the
   * command (same process, same pid). Without a {@code nice} executable (Windows), or at niceness
   * 0, returns the command unchanged.
   *
   * @param niceness 0 to 19
   * @param command the command
   * @return the command to start
   */
  public static List<String> niced(int niceness, List<String> command) {
    Path nice = niceExecutable();
    if (niceness == 0 || nice == null) {
      return command;
    }
    List<String> out = new ArrayList<>(List.of(nice.toString(), "-n", Integer.toString(niceness)));
    out.addAll(command);
    return out;
  }

  /** Returns {@code nice} of coreutils, or null where there is none. */
  static Path niceExecutable() {
    for (String dir : List.of("/usr/bin", "/bin")) {
      Path p = Path.of(dir, "nice");
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  private static List<String> prefix(List<String> jvmOptions, Map<String, String> properties) {
    List<String> command = new ArrayList<>();
    command.add(javaExecutable().toString());
    command.addAll(jvmOptions);
    properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
    return command;
  }
}
