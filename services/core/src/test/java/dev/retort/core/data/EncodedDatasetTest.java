package dev.retort.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retort.core.RetortException;
import dev.retort.core.text.MiniLmTokenizerJson;
import dev.retort.core.text.SequenceEncoder;
import dev.retort.core.text.WordPieceTokenizer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncodedDatasetTest {
  private static final SequenceEncoder ENCODER =
      SequenceEncoder.builder()
          .setTokenizer(WordPieceTokenizer.uncased(MiniLmTokenizerJson.vocabulary()))
          .optMaxLength(64)
          .build();

  @TempDir Path tmp;

  @Test
  void encodesLabelsDomainsAndIdsInOrder() {
    List<Example> examples =
        List.of(
            new Example("the quick brown fox", null, "positive", "movies", "a"),
            new Example("a slow dog", "is it?", "negative", "books", "b"));
    Dataset d =
        new Dataset("d", TaskType.CLASSIFICATION, LabelMap.of("negative", "positive"), examples);
    EncodedDataset e =
        EncodedDataset.encode(d, ENCODER, LabelMap.ofDomains(List.of("books", "movies")));
    assertThat(e.labels()).containsExactly(1, 0);
    assertThat(e.domainIds()).containsExactly(1, 0);
    assertThat(e.ids()).containsExactly("a", "b");
    assertThat(e.inputs().get(0).inputIds()).containsExactly(101, 1996, 4248, 2829, 4419, 102);
    assertThat(e.inputs().get(1).segmentIds()).endsWith(1, 1, 1, 1);
    assertThat(e.padId()).isZero();
    assertThat(e.targets()).isNull();
  }

  @Test
  void regressionKeepsTargetsAndUnlabelledGetsNaN() {
    List<Example> examples =
        List.of(new Example("a", "b", "4.5", null, "x"), new Example("c", "d", null, null, "y"));
    Dataset d = new Dataset("sts", TaskType.REGRESSION, LabelMap.none(), examples);
    EncodedDataset e = EncodedDataset.encode(d, ENCODER, null);
    assertThat(e.targets()[0]).isEqualTo(4.5f);
    assertThat(e.targets()[1]).isNaN();
    assertThat(e.labels()).isNull();
    assertThat(e.domainIds()).containsExactly(0, 0);
  }

  @Test
  void unknownDomainIsReportedWithTheExample() {
    Dataset d =
        new Dataset(
            "d",
            TaskType.CLASSIFICATION,
            LabelMap.of("x"),
            List.of(new Example("t", null, "x", "garden", "e7")));
    assertThatThrownBy(
            () -> EncodedDataset.encode(d, ENCODER, LabelMap.ofDomains(List.of("books"))))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("d example e7")
        .hasMessageContaining("unknown domain 'garden'");
  }

  @Test
  void sampleDataFlowsIntoTheMultiDomainSampler() {
    SampleData.builder().optSizes(60, 10, 10).build().write(tmp);
    MultiDomainData data = SampleData.read(tmp);
    List<EncodedDataset> train =
        data.splits().stream()
            .map(s -> EncodedDataset.encode(s.train(), ENCODER, data.domains()))
            .toList();
    MultiDomainSampler sampler =
        MultiDomainSampler.builder().setDomains(train).setFitDomain(0).setBatchSize(8).build();
    assertThat(sampler.stepsPerEpoch()).isEqualTo(8);
    MultiDomainStep step = sampler.step(0, 7);
    for (int d = 0; d < 4; d++) {
      assertThat(step.domain(d).domainIds()).containsOnly(d);
      assertThat(step.domain(d).inputIds()[0][0]).isEqualTo(101);
    }
  }
}
