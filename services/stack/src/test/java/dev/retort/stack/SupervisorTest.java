package dev.retort.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retort.stack.Supervisor.Revival;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The restart budget, driven by hand (the supervisor's thread is never started). */
class SupervisorTest {
  private final AtomicLong clock = new AtomicLong();
  private final List<String> restarted = new ArrayList<>();
  private boolean dead = true;
  private Revival outcome = Revival.RESTARTED;

  private Supervisor supervisor(int maxRestarts, Duration window) {
    return new Supervisor(new RestartPolicy(Duration.ofSeconds(1), maxRestarts, window),
        () -> List.of("svc"), name -> dead, name -> {
          restarted.add(name);
          return outcome;
        }, clock::get);
  }

  @Test
  void deadProcessIsRestartedUntilTheBudgetIsSpentThenLeftDown() {
    Supervisor s = supervisor(2, Duration.ofMinutes(10));
    s.look("svc");
    s.look("svc");
    s.look("svc");
    s.look("svc");
    assertThat(restarted).hasSize(2);
    assertThat(s.givenUp()).containsExactly("svc");
  }

  @Test
  void restartsOlderThanTheWindowNoLongerCount() {
    Supervisor s = supervisor(2, Duration.ofSeconds(60));
    s.look("svc");
    clock.addAndGet(Duration.ofSeconds(30).toNanos());
    s.look("svc");
    clock.addAndGet(Duration.ofSeconds(31).toNanos()); // the first restart is now 61 s old
    s.look("svc");
    assertThat(restarted).hasSize(3);
    assertThat(s.givenUp()).isEmpty();
  }

  @Test
  void runningProcessIsLeftAloneAndAFailedRestartCounts() {
    Supervisor s = supervisor(1, Duration.ofMinutes(10));
    dead = false;
    s.look("svc");
    assertThat(restarted).isEmpty();
    dead = true;
    outcome = Revival.FAILED;
    s.look("svc");
    s.look("svc");
    assertThat(restarted).hasSize(1);
    assertThat(s.givenUp()).containsExactly("svc");
  }

  @Test
  void restartThatFindsTheProcessRunningIsNotCounted() {
    Supervisor s = supervisor(1, Duration.ofMinutes(10));
    outcome = Revival.RUNNING; // it came back (or was removed) before the stack's lock was taken
    s.look("svc");
    s.look("svc");
    assertThat(restarted).hasSize(2);
    assertThat(s.givenUp()).isEmpty();
  }
}
