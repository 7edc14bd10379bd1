package dev.retort.core.distill;

/**
 * A one-to-one match between a student layer and a teacher layer, both 1-based (layer 0 is the
 * embedding output and is matched separately).
 *
 * @param student the student layer, 1..M
 * @param teacher the teacher layer, 1..N
 */
public record LayerPair(int student, int teacher) {
  /** Checks that both layers are positive. */
  public LayerPair {
    if (student < 1 || teacher < 1) {
      throw new IllegalArgumentException("layers are 1-based: " + student + " -> " + teacher);
    }
  }

  @Override
  public String toString() {
    return student + "->" + teacher;
  }
}
