package dev.retort.bench.wire;

import dev.retort.core.distill.DistillationObjective;
import dev.retort.core.distill.TeacherSelection;
import dev.retort.proto.v1.DType;
import java.util.Locale;

/**
 * One payload the wire-size figure measures: a method's teacher selection in one wire type, and the
 * method's objective that computes the loss with it.
 *
 * @param method the method whose selection it is ({@code tinybert}: uniform layer mapping; {@code
 *     bert-emd}: every layer)
 * @param selection what is sent
 * @param dtype the wire type of hidden states and scores
 * @param objective the method's loss
 */
public record WireVariant(
    String method, TeacherSelection selection, DType dtype, DistillationObjective objective) {

  /** Returns the variant's name, e.g. {@code tinybert/fp16}. */
  public String name() {
    return method + "/" + dtypeName(dtype);
  }

  /** Returns {@code fp32}, {@code fp16} or {@code bf16}. */
  public static String dtypeName(DType d) {
    return d.name().substring("DTYPE_".length()).toLowerCase(Locale.ROOT);
  }
}
