package dev.retort.stack.testapp;

import dev.retort.stack.LocalStack;
import dev.retort.stack.ServiceProcess;
import dev.retort.stack.ServiceSpec;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What {@code retort demo} does, reduced: a stack with a stop-on-exit hook and one service, then
 * wait until the JVM is told to stop.
 *
 * <p>Arguments: the state directory and the classpath of {@link HealthyApp}. Prints {@code READY
 * <service pid>} once the service is up.
 */
public final class DemoApp {
  private DemoApp() {}

  /**
   * Runs until interrupted or signalled.
   *
   * @param args state directory, classpath of the service
   * @throws InterruptedException when interrupted
   */
  public static void main(String[] args) throws InterruptedException {
    LocalStack stack = new LocalStack(Path.of(args[0])).stopOnExit();
    ServiceProcess service = stack.startService(ServiceSpec.builder()
        .setName("demo-service")
        .setMainClass(args[1], HealthyApp.class.getName())
        .optJvmOptions("-Xmx32m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")
        .optStartTimeout(Duration.ofSeconds(30))
        .build());
    System.out.println("READY " + service.processHandle().orElseThrow().pid());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
