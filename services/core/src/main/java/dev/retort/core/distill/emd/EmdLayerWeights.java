package dev.retort.core.distill.emd;

import dev.retort.core.RetortException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The BERT-EMD layer weights: the masses of the M student and N teacher layers in the attention EMD
 * and in the hidden-state EMD. Immutable: arrays are copied in and out.
 *
 * <p>With the official default ({@code seperate=False}) both EMDs share one averaged pair, so
 * {@code studentAtt} equals {@code studentHid} and {@code teacherAtt} equals {@code teacherHid}.
 * The official code keeps these weights in globals and never saves them; {@link #toFlat()} and
 * {@link #toMap()} let a checkpoint carry them.
 *
 * @param studentAtt student weights for the attention EMD, {@code [M]}
 * @param teacherAtt teacher weights for the attention EMD, {@code [N]}
 * @param studentHid student weights for the hidden-state EMD, {@code [M]}
 * @param teacherHid teacher weights for the hidden-state EMD, {@code [N]}
 */
public record EmdLayerWeights(
    double[] studentAtt, double[] teacherAtt, double[] studentHid, double[] teacherHid) {

  /** Checkpoint key of {@link #studentAtt()}. */
  public static final String STUDENT_ATT = "student_att";

  /** Checkpoint key of {@link #teacherAtt()}. */
  public static final String TEACHER_ATT = "teacher_att";

  /** Checkpoint key of {@link #studentHid()}. */
  public static final String STUDENT_HID = "student_hid";

  /** Checkpoint key of {@link #teacherHid()}. */
  public static final String TEACHER_HID = "teacher_hid";

  private static final String WHERE = "EMD layer weights";

  /** Checks that the shapes agree and copies the arrays; values are not checked (NaN allowed). */
  public EmdLayerWeights {
    if (studentAtt == null || teacherAtt == null || studentHid == null || teacherHid == null) {
      throw new IllegalArgumentException("all four weight vectors must be given");
    }
    if (studentAtt.length == 0 || teacherAtt.length == 0) {
      throw new IllegalArgumentException("need at least one student and one teacher layer");
    }
    if (studentHid.length != studentAtt.length || teacherHid.length != teacherAtt.length) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "attention weights are %dx%d but hidden weights %dx%d",
              studentAtt.length,
              teacherAtt.length,
              studentHid.length,
              teacherHid.length));
    }
    studentAtt = studentAtt.clone();
    teacherAtt = teacherAtt.clone();
    studentHid = studentHid.clone();
    teacherHid = teacherHid.clone();
  }

  /**
   * Returns the official start: every student layer {@code 1/M}, every teacher layer {@code 1/N}.
   */
  public static EmdLayerWeights uniform(int studentLayers, int teacherLayers) {
    if (studentLayers < 1 || teacherLayers < 1) {
      throw new IllegalArgumentException(
          "layer counts must be positive, got " + studentLayers + " and " + teacherLayers);
    }
    double[] s = new double[studentLayers];
    double[] t = new double[teacherLayers];
    Arrays.fill(s, 1.0 / studentLayers);
    Arrays.fill(t, 1.0 / teacherLayers);
    return shared(s, t);
  }

  /** Returns weights where both EMDs use the same student and teacher vectors. */
  public static EmdLayerWeights shared(double[] student, double[] teacher) {
    return new EmdLayerWeights(student, teacher, student, teacher);
  }

  /** Returns M. */
  public int studentLayers() {
    return studentAtt.length;
  }

  /** Returns N. */
  public int teacherLayers() {
    return teacherAtt.length;
  }

  /** Returns whether both EMDs use the same vectors (always so with averaging). */
  public boolean isShared() {
    return Arrays.equals(studentAtt, studentHid) && Arrays.equals(teacherAtt, teacherHid);
  }

  /** Returns whether every weight is finite (the {@code OFFICIAL} guard can produce NaN). */
  public boolean isFinite() {
    for (double[] v : new double[][] {studentAtt, teacherAtt, studentHid, teacherHid}) {
      for (double x : v) {
        if (!Double.isFinite(x)) {
          return false;
        }
      }
    }
    return true;
  }

  /** Returns a copy of the student weights of the attention EMD, {@code [M]}. */
  @Override
  public double[] studentAtt() {
    return studentAtt.clone();
  }

  /** Returns a copy of the teacher weights of the attention EMD, {@code [N]}. */
  @Override
  public double[] teacherAtt() {
    return teacherAtt.clone();
  }

  /** Returns a copy of the student weights of the hidden-state EMD, {@code [M]}. */
  @Override
  public double[] studentHid() {
    return studentHid.clone();
  }

  /** Returns a copy of the teacher weights of the hidden-state EMD, {@code [N]}. */
  @Override
  public double[] teacherHid() {
    return teacherHid.clone();
  }

  /**
   * Returns {@code [M, N, studentAtt…, teacherAtt…, studentHid…, teacherHid…]}, {@code 2 + 2(M+N)}
   * values.
   */
  public double[] toFlat() {
    int m = studentLayers();
    int n = teacherLayers();
    double[] flat = new double[2 + 2 * (m + n)];
    flat[0] = m;
    flat[1] = n;
    System.arraycopy(studentAtt, 0, flat, 2, m);
    System.arraycopy(teacherAtt, 0, flat, 2 + m, n);
    System.arraycopy(studentHid, 0, flat, 2 + m + n, m);
    System.arraycopy(teacherHid, 0, flat, 2 + 2 * m + n, n);
    return flat;
  }

  /**
   * Reads the layout of {@link #toFlat()}.
   *
   * @throws RetortException when the header or the length does not fit the layout
   */
  public static EmdLayerWeights fromFlat(double[] flat) {
    if (flat == null || flat.length < 2) {
      throw new RetortException(
          WHERE, "the flat array has no [M, N] header", "Save the weights with toFlat()");
    }
    double m = flat[0];
    double n = flat[1];
    if (!(m >= 1 && n >= 1 && m == Math.rint(m) && n == Math.rint(n) && m + n < 1e6)) {
      throw new RetortException(
          WHERE,
          "the header [M, N] = [" + m + ", " + n + "] is not two positive layer counts",
          "Save the weights with toFlat(), which writes M and N first");
    }
    int mi = (int) m;
    int ni = (int) n;
    if (flat.length != 2 + 2 * (mi + ni)) {
      throw new RetortException(
          WHERE,
          "expected 2 + 2*("
              + mi
              + " + "
              + ni
              + ") = "
              + (2 + 2 * (mi + ni))
              + " values but found "
              + flat.length,
          "Check that the checkpoint entry was not truncated");
    }
    return new EmdLayerWeights(
        Arrays.copyOfRange(flat, 2, 2 + mi),
        Arrays.copyOfRange(flat, 2 + mi, 2 + mi + ni),
        Arrays.copyOfRange(flat, 2 + mi + ni, 2 + 2 * mi + ni),
        Arrays.copyOfRange(flat, 2 + 2 * mi + ni, 2 + 2 * (mi + ni)));
  }

  /** Returns the four vectors (copies) under {@link #STUDENT_ATT} etc., in that order. */
  public Map<String, double[]> toMap() {
    Map<String, double[]> map = new LinkedHashMap<>();
    map.put(STUDENT_ATT, studentAtt());
    map.put(TEACHER_ATT, teacherAtt());
    map.put(STUDENT_HID, studentHid());
    map.put(TEACHER_HID, teacherHid());
    return map;
  }

  /**
   * Reads the layout of {@link #toMap()}; other keys are ignored.
   *
   * @throws RetortException when a key is missing or the lengths disagree
   */
  public static EmdLayerWeights fromMap(Map<String, double[]> map) {
    double[][] v = new double[4][];
    String[] keys = {STUDENT_ATT, TEACHER_ATT, STUDENT_HID, TEACHER_HID};
    for (int k = 0; k < 4; k++) {
      v[k] = map == null ? null : map.get(keys[k]);
      if (v[k] == null || v[k].length == 0) {
        throw new RetortException(
            WHERE + " key '" + keys[k] + "'",
            "missing or empty",
            "Save all four vectors (" + String.join(", ", keys) + ") with toMap()");
      }
    }
    if (v[0].length != v[2].length || v[1].length != v[3].length) {
      throw new RetortException(
          WHERE,
          String.format(
              Locale.ROOT,
              "attention weights are %dx%d but hidden weights %dx%d",
              v[0].length,
              v[1].length,
              v[2].length,
              v[3].length),
          "Save both pairs from the same EmdLayerWeights");
    }
    return new EmdLayerWeights(v[0], v[1], v[2], v[3]);
  }

  /** Compares all four vectors by value. */
  @Override
  public boolean equals(Object o) {
    return o instanceof EmdLayerWeights w
        && Arrays.equals(studentAtt, w.studentAtt)
        && Arrays.equals(teacherAtt, w.teacherAtt)
        && Arrays.equals(studentHid, w.studentHid)
        && Arrays.equals(teacherHid, w.teacherHid);
  }

  /** Hashes all four vectors by value. */
  @Override
  public int hashCode() {
    return Arrays.deepHashCode(new Object[] {studentAtt, teacherAtt, studentHid, teacherHid});
  }

  /** Shows the four vectors. */
  @Override
  public String toString() {
    return "EmdLayerWeights[studentAtt="
        + Arrays.toString(studentAtt)
        + ", teacherAtt="
        + Arrays.toString(teacherAtt)
        + ", studentHid="
        + Arrays.toString(studentHid)
        + ", teacherHid="
        + Arrays.toString(teacherHid)
        + "]";
  }
}
