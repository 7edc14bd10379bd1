package dev.retort.bench;

import ai.djl.engine.Engine;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Where a bench run happened: the machine, the JVM and the engine's settings. */
public final class Environment {
  private Environment() {}

  /** Returns the environment as JSON fields. */
  public static Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("time", Instant.now().toString());
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    m.put("max_heap_mib", Runtime.getRuntime().maxMemory() >> 20);
    m.put("torch_threads", System.getProperty("ai.djl.pytorch.num_threads", "engine default"));
    m.put(
        "torch_interop_threads",
        System.getProperty("ai.djl.pytorch.num_interop_threads", "engine default"));
    try {
      Engine e = Engine.getInstance();
      m.put("engine", e.getEngineName() + " " + e.getVersion());
      m.put("device", e.defaultDevice().toString());
    } catch (RuntimeException e) {
      m.put("engine", "unavailable: " + e.getMessage());
    }
    return m;
  }
}
