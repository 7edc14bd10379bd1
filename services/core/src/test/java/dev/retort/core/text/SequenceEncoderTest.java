package dev.retort.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SequenceEncoderTest {
  // ids: [PAD]0 [UNK]1 [CLS]2 [SEP]3 [MASK]4 a5 b6 c7 d8 e9 f10 g11
  private static final WordPieceTokenizer TOKENIZER =
      WordPieceTokenizer.uncased(
          Vocabulary.of(
              List.of(
                  "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "b", "c", "d", "e", "f", "g"),
              "v"));

  private static SequenceEncoder encoder(int maxLength) {
    return SequenceEncoder.builder().setTokenizer(TOKENIZER).optMaxLength(maxLength).build();
  }

  @Test
  void pairIsClsASepBSepWithSegmentsZeroThenOne() {
    EncodedExample e = encoder(16).encode("a b", "c d e");
    assertThat(e.inputIds()).containsExactly(2, 5, 6, 3, 7, 8, 9, 3);
    assertThat(e.segmentIds()).containsExactly(0, 0, 0, 0, 1, 1, 1, 1);
    assertThat(e.realLength()).isEqualTo(8);
  }

  @Test
  void singleTextKeepsItsFirstMaxMinusTwoPieces() {
    EncodedExample e = encoder(5).encode("a b c d e");
    assertThat(e.inputIds()).containsExactly(2, 5, 6, 7, 3);
    assertThat(e.segmentIds()).containsExactly(0, 0, 0, 0, 0);
  }

  @Test
  void longerSideLosesItsLastTokensFirst() {
    // budget 8 - 3 = 5: A has 2, B has 6 -> B keeps 3.
    EncodedExample e = encoder(8).encode("a b", "c d e f g a");
    assertThat(e.inputIds()).containsExactly(2, 5, 6, 3, 7, 8, 9, 3);
  }

  @Test
  void equalLengthsPopFromBSoAKeepsTheOddToken() {
    // budget 8 - 3 = 5: A 4, B 4 -> (4,3) (3,3) (3,2): A keeps 3, B keeps 2.
    EncodedExample e = encoder(8).encode("a b c d", "e f g a");
    assertThat(e.inputIds()).containsExactly(2, 5, 6, 7, 3, 9, 10, 3);
    assertThat(e.segmentIds()).containsExactly(0, 0, 0, 0, 0, 1, 1, 1);
  }

  @Test
  void keptLengthsFollowTheTinyBertPopRule() {
    assertThat(PairTruncation.keptLengths(10, 10, 5)).containsExactly(3, 2);
    assertThat(PairTruncation.keptLengths(11, 10, 5)).containsExactly(3, 2);
    assertThat(PairTruncation.keptLengths(10, 11, 5)).containsExactly(3, 2);
    assertThat(PairTruncation.keptLengths(10, 10, 6)).containsExactly(3, 3);
    assertThat(PairTruncation.keptLengths(2, 10, 6)).containsExactly(2, 4);
    assertThat(PairTruncation.keptLengths(10, 1, 6)).containsExactly(5, 1);
    assertThat(PairTruncation.keptLengths(2, 3, 6)).containsExactly(2, 3);
    assertThat(PairTruncation.keptLengths(0, 9, 0)).containsExactly(0, 0);
  }

  @Test
  void paddingHelpersFillPadIdsAndZeroMask() {
    EncodedExample e = encoder(16).encode("a", "b");
    assertThat(e.paddedInputIds(7, 0)).containsExactly(2, 5, 3, 6, 3, 0, 0);
    assertThat(e.paddedSegmentIds(7)).containsExactly(0, 0, 0, 1, 1, 0, 0);
    assertThat(e.attentionMask(7)).containsExactly(1, 1, 1, 1, 1, 0, 0);
  }

  @Test
  void lengthBucketsPickTheSmallestBucketThatFits() {
    LengthBuckets b = LengthBuckets.standard(100);
    assertThat(b.sizes()).containsExactly(16, 32, 64, 100);
    assertThat(b.bucketFor(1)).isEqualTo(16);
    assertThat(b.bucketFor(16)).isEqualTo(16);
    assertThat(b.bucketFor(17)).isEqualTo(32);
    assertThat(b.bucketFor(65)).isEqualTo(100);
    assertThat(b.bucketFor(100)).isEqualTo(100);
    assertThat(LengthBuckets.of(128, 64, 16, 32).sizes()).containsExactly(16, 32, 64, 128);
    assertThat(LengthBuckets.fixed(64).bucketFor(3)).isEqualTo(64);
  }
}
