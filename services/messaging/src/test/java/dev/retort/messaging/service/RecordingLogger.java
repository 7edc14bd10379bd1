package dev.retort.messaging.service;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.helpers.MessageFormatter;

/** A logger that keeps what is logged as {@code LEVEL message} lines, for assertions. */
final class RecordingLogger {
  private static final Set<String> LEVELS = Set.of("trace", "debug", "info", "warn", "error");

  private final List<String> lines = new ArrayList<>();
  private final Logger logger = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(),
      new Class<?>[] {Logger.class}, (proxy, method, args) -> {
        String name = method.getName();
        if (name.equals("getName")) {
          return "recording";
        }
        if (name.startsWith("is") && name.endsWith("Enabled")) {
          return true;
        }
        if (LEVELS.contains(name) && args != null && args[0] instanceof String format) {
          List<Object> params = new ArrayList<>();
          for (Object a : Arrays.copyOfRange(args, 1, args.length)) {
            if (a instanceof Object[] many) {
              params.addAll(Arrays.asList(many));
            } else {
              params.add(a);
            }
          }
          synchronized (lines) {
            lines.add(name.toUpperCase(java.util.Locale.ROOT) + " "
                + MessageFormatter.arrayFormat(format, params.toArray()).getMessage());
          }
          return null;
        }
        throw new UnsupportedOperationException(name);
      });

  /** Returns the logger. */
  Logger logger() {
    return logger;
  }

  /** Returns the lines logged so far. */
  List<String> lines() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }
}
