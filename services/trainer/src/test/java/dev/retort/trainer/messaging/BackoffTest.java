package dev.retort.trainer.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void thePauseDoublesUpToItsCapAndStartsOverAfterASuccess() {
    Backoff b = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(1));
    assertThat(b.next()).isEqualTo(Duration.ofMillis(200));
    assertThat(b.next()).isEqualTo(Duration.ofMillis(400));
    assertThat(b.next()).isEqualTo(Duration.ofMillis(800));
    assertThat(b.next()).isEqualTo(Duration.ofSeconds(1));
    assertThat(b.next()).isEqualTo(Duration.ofSeconds(1));
    b.reset();
    assertThat(b.next()).isEqualTo(Duration.ofMillis(200));
  }

  @Test
  void aZeroFirstPauseIsRefused() {
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 < first <= max");
  }
}
