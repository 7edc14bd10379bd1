package dev.retort.cli;

/**
 * Sets up slf4j-simple before the first logger is created: warnings only by default, info with
 * {@code --verbose}, on standard error, without thread names. A {@code -D} setting the user gave
 * wins.
 */
final class Logging {
  private static final String PREFIX = "org.slf4j.simpleLogger.";

  private Logging() {}

  static void configure(boolean verbose) {
    setDefault("defaultLogLevel", verbose ? "info" : "warn");
    setDefault("logFile", "System.err");
    setDefault("showThreadName", "false");
    setDefault("showLogName", "false");
    setDefault("showShortLogName", "true");
    if (!verbose) {
      // DJL warns on every start that a CPU-only machine has no usable CUDA driver.
      setDefault("log.ai.djl.util.cuda.CudaUtils", "error");
    } else {
      // Takes effect for loggers created from now on, even if slf4j was initialised earlier.
      setDefault("log.dev.retort", "info");
    }
  }

  private static void setDefault(String key, String value) {
    if (System.getProperty(PREFIX + key) == null) {
      System.setProperty(PREFIX + key, value);
    }
  }
}
