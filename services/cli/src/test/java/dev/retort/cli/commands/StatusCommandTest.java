package dev.retort.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Timestamp;
import dev.retort.proto.v1.JobEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusCommandTest {
  private static List<JobEvent> events(int n) {
    List<JobEvent> events = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      events.add(JobEvent.newBuilder().setJobId("j").setSource("trainer").setSequence(i)
          .setTime(Timestamp.newBuilder().setSeconds(1_795_473_755L + i))
          .setCheckpoint(JobEvent.CheckpointWritten.newBuilder().setPhase("distill").setStep(i).setPath("p" + i))
          .build());
    }
    return events;
  }

  @Test
  void theLastTenEventsAreShownALineEachWithANoteOfTheRest() {
    List<String> lines = StatusCommand.render(events(12), false, false);
    assertThat(lines).hasSize(11);
    assertThat(lines.get(0)).isEqualTo("(2 earlier events; --all shows them)");
    assertThat(lines.get(1)).isEqualTo("22:42:38  trainer    checkpoint distill step 3: p3");
    assertThat(StatusCommand.render(events(12), true, false)).hasSize(12);
  }

  @Test
  void asJsonEveryLineIsOneEventAndNothingElse() throws Exception {
    ObjectMapper json = new ObjectMapper();
    List<String> lines = StatusCommand.render(events(12), false, true);
    assertThat(lines).hasSize(10);
    for (int i = 0; i < lines.size(); i++) {
      assertThat(json.readTree(lines.get(i)).path("sequence").asText()).isEqualTo(Integer.toString(i + 3));
    }
  }
}
