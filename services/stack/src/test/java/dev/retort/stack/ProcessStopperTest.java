package dev.retort.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProcessStopperTest {

  @Test
  void aKilledProcessNoLongerCountsAsRunningWhenKillReturns() throws Exception {
    LaggingProcess p = new LaggingProcess(new ProcessBuilder("sleep", "60").start());
    ProcessStopper.kill(p);
    // A restart asks exactly this before it starts the service again.
    assertThat(p.isAlive()).isFalse();
  }

  @Test
  void aStoppedProcessNoLongerCountsAsRunningWhenStopReturns() throws Exception {
    LaggingProcess p = new LaggingProcess(new ProcessBuilder("sleep", "60").start());
    assertThat(ProcessStopper.stop(p, Duration.ofSeconds(10))).as("sleep stops on SIGTERM").isFalse();
    assertThat(p.isAlive()).isFalse();
  }

  /**
   * A process whose exit is recorded only once somebody waits for it: the JDK's reaper thread
   * records it a moment after the process handle has seen it, and this makes that moment last.
   */
  private static final class LaggingProcess extends Process {
    private final Process real;
    private volatile boolean recorded;

    LaggingProcess(Process real) {
      this.real = real;
    }

    @Override
    public boolean isAlive() {
      return !recorded;
    }

    @Override
    public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
      boolean exited = real.waitFor(timeout, unit);
      recorded |= exited;
      return exited;
    }

    @Override
    public int waitFor() throws InterruptedException {
      int code = real.waitFor();
      recorded = true;
      return code;
    }

    @Override
    public ProcessHandle toHandle() {
      return real.toHandle();
    }

    @Override
    public long pid() {
      return real.pid();
    }

    @Override
    public int exitValue() {
      return real.exitValue();
    }

    @Override
    public void destroy() {
      real.destroy();
    }

    @Override
    public OutputStream getOutputStream() {
      return real.getOutputStream();
    }

    @Override
    public InputStream getInputStream() {
      return real.getInputStream();
    }

    @Override
    public InputStream getErrorStream() {
      return real.getErrorStream();
    }
  }
}
