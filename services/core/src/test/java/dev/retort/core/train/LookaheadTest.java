package dev.retort.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LookaheadTest {
  /** Five batches per epoch; a batch is named by its position, "epoch:index". */
  private static final BatchPlan<String> PLAN =
      new BatchPlan<>() {
        @Override
        public int batchesPerEpoch() {
          return 5;
        }

        @Override
        public String batch(int epoch, int index) {
          return epoch + ":" + index;
        }

        @Override
        public int examples(String batch) {
          return 1;
        }
      };

  @Test
  void announcesTheWindowAfterABatchCrossingIntoTheNextEpoch() {
    assertThat(new Lookahead<>(PLAN, 4, 100).after(0, 0)).containsExactly("0:1", "0:2", "0:3", "0:4");
    assertThat(new Lookahead<>(PLAN, 3, 100).after(0, 3)).containsExactly("0:4", "1:0", "1:1");
  }

  @Test
  void announcesNothingPastThePhasesLastBatch() {
    // A 7-batch phase (say max-steps 7): positions 0..6, the last one is 1:1.
    Lookahead<String> seven = new Lookahead<>(PLAN, 4, 7);
    assertThat(seven.after(1, 0)).containsExactly("1:1");
    assertThat(seven.after(1, 1)).isEmpty();
    assertThat(seven.after(0, 3)).containsExactly("0:4", "1:0", "1:1");
  }

  @Test
  void aWindowOfZeroAnnouncesNothingAndNegativeValuesAreRefused() {
    assertThat(new Lookahead<>(PLAN, 0, 100).after(0, 0)).isEmpty();
    assertThatThrownBy(() -> new Lookahead<>(PLAN, -1, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("window -1");
  }

  @Test
  void announcesTheCurrentBatchBeforeItsWindowAndNothingWithoutAWindow() {
    assertThat(new Lookahead<>(PLAN, 3, 100).announce("0:4", 0, 4))
        .containsExactly("0:4", "1:0", "1:1", "1:2");
    assertThat(new Lookahead<>(PLAN, 3, 7).announce("1:1", 1, 1)).containsExactly("1:1");
    assertThat(new Lookahead<>(PLAN, 0, 100).announce("0:0", 0, 0)).isEmpty();
  }
}
