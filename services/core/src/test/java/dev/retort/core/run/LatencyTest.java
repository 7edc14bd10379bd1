package dev.retort.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import dev.retort.core.model.BertInput;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/** How latencies are measured; what is checked is which passes run, never how long they take. */
class LatencyTest {

  /** A forward pass that records its name and the batch it was given. */
  private static BiFunction<ParameterStore, BertInput, NDArray> recording(
      String name, List<String> calls, List<long[]> shapes) {
    return (ps, in) -> {
      calls.add(name);
      shapes.add(in.inputIds().getShape().getShape());
      return in.attentionMask().toType(DataType.FLOAT32, false);
    };
  }

  @Test
  void pairedPassesAlternateWhichModelGoesFirst() {
    List<String> calls = new ArrayList<>();
    List<long[]> shapes = new ArrayList<>();
    Latency.Pair pair = Latency.pairedMedianMillis(recording("teacher", calls, shapes),
        recording("student", calls, shapes), 16, 1, 3);

    assertThat(calls).containsExactly(
        "teacher", "student", // warm-up
        "student", "teacher",
        "teacher", "student",
        "student", "teacher");
    assertThat(shapes).allSatisfy(s -> assertThat(s).containsExactly(1, 16));
    assertThat(pair.firstMillis()).isPositive();
    assertThat(pair.secondMillis()).isPositive();
  }

  @Test
  void eachMedianComesFromItsOwnModelsPasses() {
    List<String> calls = new ArrayList<>();
    List<long[]> shapes = new ArrayList<>();
    BiFunction<ParameterStore, BertInput, NDArray> student = recording("student", calls, shapes);
    BiFunction<ParameterStore, BertInput, NDArray> slowTeacher = (ps, in) -> {
      try {
        Thread.sleep(20); // every teacher pass takes at least 20 ms, so its median does too
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return in.attentionMask().toType(DataType.FLOAT32, false);
    };

    Latency.Pair pair = Latency.pairedMedianMillis(slowTeacher, student, 8, 1, 3);

    assertThat(pair.firstMillis()).isGreaterThanOrEqualTo(20.0);
    assertThat(calls).hasSize(4);
  }

  @Test
  void aSingleModelRunsItsWarmUpAndTimedPasses() {
    List<String> calls = new ArrayList<>();
    List<long[]> shapes = new ArrayList<>();
    double ms = Latency.medianMillis(recording("student", calls, shapes), 8, 2, 5);

    assertThat(calls).hasSize(7);
    assertThat(shapes).allSatisfy(s -> assertThat(s).containsExactly(1, 8));
    assertThat(ms).isPositive();
  }
}
