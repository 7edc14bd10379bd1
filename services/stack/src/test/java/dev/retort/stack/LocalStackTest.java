package dev.retort.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retort.core.RetortException;
import dev.retort.stack.testapp.DemoApp;
import dev.retort.stack.testapp.HealthyApp;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStackTest {
  @TempDir Path stateDir;

  private LocalStack stack;

  @AfterEach
  void stopEverything() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void startedServiceIsHealthyAndAFreshStackStopsItFromTheStateFile() throws Exception {
    stack = new LocalStack(stateDir);
    ServiceProcess service = stack.startService(spec("echo").build());
    long pid = service.processHandle().orElseThrow().pid();
    int port = service.ports().get("http");

    assertThat(get(service.healthUrl())).isEqualTo(200);
    StackEntry recorded =
        StackState.read(stateDir.resolve("stack.json")).find("echo").orElseThrow();
    assertThat(recorded.pid()).isEqualTo(pid);
    assertThat(recorded.ports()).containsEntry("http", port);
    assertThat(Files.readString(stateDir.resolve("logs/echo.log")))
        .contains("HealthyApp listening on " + port);

    // What `retort down` does: another LocalStack (as in another JVM) knowing only the directory.
    List<StackEntry> stopped = new LocalStack(stateDir, Duration.ofSeconds(5)).stopAll();

    assertThat(stopped).extracting(StackEntry::pid).containsExactly(pid);
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    assertThat(stateDir.resolve("stack.json")).doesNotExist();
  }

  @Test
  void killedServiceRestartsOnTheSamePortWithANewRecordedPidAndStopsByName() throws Exception {
    stack = new LocalStack(stateDir);
    ServiceProcess service = stack.startService(spec("crashy").build());
    ProcessHandle first = service.processHandle().orElseThrow();
    int port = service.ports().get("http");

    stack.kill9("crashy");
    assertThat(first.isAlive()).isFalse();
    assertThat(service.processHandle()).isEmpty();

    stack.restart("crashy");
    ProcessHandle second = service.processHandle().orElseThrow();
    assertThat(second.pid()).isNotEqualTo(first.pid());
    assertThat(service.ports()).containsEntry("http", port);
    assertThat(get(service.healthUrl())).isEqualTo(200);
    assertThat(stack.state().find("crashy").orElseThrow().pid()).isEqualTo(second.pid());

    stack.stop("crashy");
    assertThat(second.isAlive()).isFalse();
    assertThat(stack.state().entries()).isEmpty();
  }

  @Test
  void supervisedServiceThatIsKilledComesBackOnItsPortWithANewRecordedPid() throws Exception {
    stack = new LocalStack(stateDir);
    ServiceProcess service = stack.startService(spec("phoenix").build());
    stack.supervise(new RestartPolicy(Duration.ofMillis(100), 3, Duration.ofMinutes(1)));
    long first = service.processHandle().orElseThrow().pid();
    int port = service.ports().get("http");

    stack.kill9("phoenix"); // no restart() from here on: the supervisor must do it

    long second = awaitRecordedPid(stack, "phoenix", first, Duration.ofSeconds(30));
    assertThat(service.ports()).containsEntry("http", port);
    assertThat(get(service.healthUrl())).isEqualTo(200);
    assertThat(service.processHandle().orElseThrow().pid()).isEqualTo(second);
  }

  @Test
  void serviceThatKeepsDyingIsLeftDownOnceItsRestartsAreSpent() throws Exception {
    stack = new LocalStack(stateDir);
    ServiceProcess service =
        stack.startService(spec("doomed").optSystemProperty("app.dieAfterMs", "300").build());
    Supervisor supervisor =
        stack.supervise(new RestartPolicy(Duration.ofMillis(100), 2, Duration.ofMinutes(1)));

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!supervisor.givenUp().contains("doomed") && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(supervisor.givenUp()).containsExactly("doomed");
    Thread.sleep(500); // several more looks: none may start it again
    assertThat(service.processHandle()).isEmpty();
    String log = Files.readString(stateDir.resolve("logs/doomed.log"));
    assertThat(log.split("HealthyApp listening on", -1)).as("the first start and 2 restarts")
        .hasSize(4);
  }

  @Test
  void superviseReturnsTheRunningSupervisorAndReplacesAClosedOne() {
    stack = new LocalStack(stateDir);
    RestartPolicy policy = RestartPolicy.defaults();
    Supervisor first = stack.supervise(policy);
    assertThat(stack.supervise(policy)).isSameAs(first);
    first.close();
    assertThat(stack.supervise(policy)).isNotSameAs(first);
  }

  @Test
  void serviceStoppedByNameStaysStoppedUnderSupervision() throws Exception {
    stack = new LocalStack(stateDir);
    ServiceProcess service = stack.startService(spec("retired").build());
    stack.supervise(new RestartPolicy(Duration.ofMillis(50), 3, Duration.ofMinutes(1)));

    stack.stop("retired");
    Thread.sleep(500);

    assertThat(service.processHandle()).isEmpty();
    assertThat(stack.state().entries()).isEmpty();
  }

  @Test
  void serviceThatExitsAtStartupFailsWithTheTailOfItsLog() {
    stack = new LocalStack(stateDir);
    ServiceSpec failing = spec("failing").optSystemProperty("app.fail", "true").build();

    assertThatThrownBy(() -> stack.startService(failing))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining(stateDir.resolve("logs/failing.log").toString())
        .hasMessageContaining("exited with code 3")
        .hasMessageContaining("boom: HealthyApp was told to fail at startup");
    assertThat(stack.state().entries()).isEmpty();
  }

  @Test
  void stopAllSkipsDeadProcessesAndNeverSignalsAReusedPid() throws Exception {
    Process finished = new ProcessBuilder(JavaCommand.javaExecutable().toString(), "-version")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    finished.waitFor();
    ProcessHandle self = ProcessHandle.current();
    long selfStart = self.info().startInstant().orElseThrow().toEpochMilli();
    new StackState(List.of(
        new StackEntry("dead", finished.pid(), -1, Map.of(), "dead.log", Map.of()),
        // This JVM's PID with another start time: what a PID reused after a reboot looks like.
        new StackEntry("reused", self.pid(), selfStart - 3_600_000, Map.of(), "r.log", Map.of())))
        .write(stateDir.resolve("stack.json"));

    List<StackEntry> stopped = new LocalStack(stateDir).stopAll();

    assertThat(stopped).isEmpty();
    assertThat(self.isAlive()).isTrue();
    assertThat(stateDir.resolve("stack.json")).doesNotExist();
  }

  @Test
  void startingANameThatStillRunsFromAnEarlierStartIsRefused() {
    stack = new LocalStack(stateDir);
    stack.startService(spec("once").build());

    LocalStack other = new LocalStack(stateDir);
    assertThatThrownBy(() -> other.startService(spec("once").build()))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("once is still running");
  }

  @Test
  void stopOnExitStopsTheServicesWhenTheOwningJvmIsTerminated() throws Exception {
    Process demo = new ProcessBuilder(JavaCommand.javaExecutable().toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
        "-cp", System.getProperty("java.class.path"), DemoApp.class.getName(),
        stateDir.toString(), testClasses())
        .redirectErrorStream(true).start();
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8))) {
      String line = out.readLine();
      while (line != null && !line.startsWith("READY ")) {
        line = out.readLine();
      }
      assertThat(line).as("the demo JVM reports its service").isNotNull();
      long servicePid = Long.parseLong(line.substring("READY ".length()).strip());
      assertThat(ProcessHandle.of(servicePid).map(ProcessHandle::isAlive)).contains(true);

      demo.destroy(); // SIGTERM, as Ctrl-C's SIGINT, runs the JVM's shutdown hooks

      assertThat(demo.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(ProcessHandle.of(servicePid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
      assertThat(stateDir.resolve("stack.json")).doesNotExist();
    } finally {
      demo.destroyForcibly();
    }
  }

  @Test
  void serviceWithANicenessRunsAtThatLowerPriorityUnderItsOwnPid() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Files.isReadable(Path.of("/proc/self/stat")) && JavaCommand.niceExecutable() != null,
        "needs Linux's /proc and nice");
    stack = new LocalStack(stateDir);
    ServiceProcess service = stack.startService(spec("lazy").optNiceness(7).build());
    long pid = service.processHandle().orElseThrow().pid();

    assertThat(get(service.healthUrl())).isEqualTo(200);
    // nice replaced itself with java: the recorded pid is the service's, 7 steps below this JVM.
    assertThat(stack.state().find("lazy").orElseThrow().pid()).isEqualTo(pid);
    assertThat(niceOf(Long.toString(pid))).isEqualTo(Math.min(19, niceOf("self") + 7));
    assertThat(ProcessHandle.of(pid).orElseThrow().info().command().orElse("")).endsWith("java");
  }

  @Test
  void nicenessOutsideZeroToNineteenIsRefused() {
    assertThatThrownBy(() -> spec("eager").optNiceness(-5).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("niceness must be in [0, 19]");
  }

  /** Field 19 of /proc/PID/stat; the command name (field 2) may hold spaces, so count from ')'. */
  private static int niceOf(String pid) throws java.io.IOException {
    String stat = Files.readString(Path.of("/proc", pid, "stat"));
    String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Integer.parseInt(after[16]);
  }

  /**
   * Waits until the state file records a PID other than {@code old} for the process (the stack
   * records it once the restarted process is ready), and returns it.
   */
  private static long awaitRecordedPid(LocalStack stack, String name, long old, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      var entry = stack.state().find(name);
      if (entry.isPresent() && entry.get().pid() != old) {
        return entry.get().pid();
      }
      Thread.sleep(50);
    }
    throw new AssertionError(name + " was not restarted within " + timeout);
  }

  private static ServiceSpec.Builder spec(String name) {
    return ServiceSpec.builder()
        .setName(name)
        .setMainClass(testClasses(), HealthyApp.class.getName())
        // The tiny app needs no JIT to speak of: C1 only and a small heap start it fastest.
        .optJvmOptions("-Xmx32m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")
        .optStartTimeout(Duration.ofSeconds(30))
        .optStopTimeout(Duration.ofSeconds(5));
  }

  private static String testClasses() {
    try {
      return Path.of(HealthyApp.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int get(URI url) throws Exception {
    HttpClient client = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
    return client.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }
}
