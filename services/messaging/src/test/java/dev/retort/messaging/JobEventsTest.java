package dev.retort.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import dev.retort.core.RetortException;
import dev.retort.proto.v1.EvaluationResult;
import dev.retort.proto.v1.JobEvent;
import dev.retort.proto.v1.SummaryTable;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobEventsTest {
  private static final Instant NOW = Instant.parse("2025-03-04T05:06:07.000000123Z");
  private final JobEvents events =
      new JobEvents("trainer-1", Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void everyEventCarriesVersionTimeSourceAndAPerJobSequence() {
    JobEvent a1 = events.accepted("a", Struct.getDefaultInstance(), 100);
    JobEvent b1 = events.progress("b", JobEvent.Progress.newBuilder().setStep(1).build());
    JobEvent a2 = events.checkpoint("a", "distill", 50, "jobs/a/ckpt-50");

    assertThat(a1.getSequence()).isEqualTo(1);
    assertThat(b1.getSequence()).isEqualTo(1);
    assertThat(a2.getSequence()).isEqualTo(2);
    assertThat(a1.getSchemaVersion()).isEqualTo(SchemaVersions.CURRENT);
    assertThat(a1.getSource()).isEqualTo("trainer-1");
    assertThat(ProtoTimes.toInstant(a2.getTime())).isEqualTo(NOW);
    assertThat(SchemaVersions.problem(a2)).isEmpty();
  }

  @Test
  void eachFactoryFillsItsKind() {
    assertThat(events.accepted("j", Structs.fromMap(Map.of("seed", 1)), 9).getAccepted()
        .getTotalSteps()).isEqualTo(9);
    assertThat(events.rejected("j", "teacher.model", "missing", "Add teacher.model")
        .getRejected().getFix()).isEqualTo("Add teacher.model");
    assertThat(events.checkpoint("j", "distill", 5, "p").getCheckpoint().getPath())
        .isEqualTo("p");
    assertThat(events.evaluated("j", EvaluationResult.newBuilder().setPrimaryValue(0.9).build())
        .getEvaluated().getResult().getPrimaryValue()).isEqualTo(0.9);
    assertThat(events.finished("j", SummaryTable.newBuilder().setRetained(0.97).build(), "e")
        .getFinished().getSummary().getRetained()).isEqualTo(0.97);
    assertThat(events.finished("j", null, "e").getFinished().hasSummary()).isFalse();
    assertThat(events.failed("j", "NaN loss", null).getFailed().getReason())
        .isEqualTo("NaN loss");
    assertThat(events.cancelled("j", 42, "c").getCancelled().getStep()).isEqualTo(42);
    assertThat(events.progress("j", JobEvent.Progress.getDefaultInstance()).getKindCase())
        .isEqualTo(JobEvent.KindCase.PROGRESS);
  }

  @Test
  void rejectionFromAnInputErrorKeepsWhereWhatAndFix() {
    JobEvent e = events.rejected("j",
        new RetortException("distill.method", "unknown method 'emd'", "Use bert-emd"));

    assertThat(e.getRejected().getWhere()).isEqualTo("distill.method");
    assertThat(e.getRejected().getReason()).isEqualTo("unknown method 'emd'");
    assertThat(e.getRejected().getFix()).isEqualTo("Use bert-emd");
  }
}
