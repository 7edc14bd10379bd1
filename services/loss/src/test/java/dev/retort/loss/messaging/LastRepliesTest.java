package dev.retort.loss.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retort.loss.config.ArtifactStore;
import dev.retort.messaging.SchemaVersions;
import dev.retort.proto.v1.LossReply;
import dev.retort.proto.v1.LossRequest.KindCase;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LastRepliesTest {
  @TempDir
  Path root;

  private static LossReply reply(long step) {
    return LossReply.newBuilder().setSchemaVersion(SchemaVersions.CURRENT).setJobId("j")
        .setStep(step).setRequestId("r" + step).setError("e" + step).build();
  }

  @Test
  void theLastReplyOfEachKindSurvivesARestart() {
    LastReplies replies = new LastReplies(new ArtifactStore(root));
    assertThat(replies.find("j", KindCase.EMD, 1)).isEmpty();
    replies.record("j", KindCase.EMD, reply(1));
    replies.record("j", KindCase.EMD, reply(2));
    replies.record("j", KindCase.GRAPH, reply(5));
    assertThat(root.resolve("jobs/j/loss/emd-last-reply.pb")).exists();

    LastReplies restarted = new LastReplies(new ArtifactStore(root));
    assertThat(restarted.find("j", KindCase.EMD, 1)).as("only the last step").isEmpty();
    assertThat(restarted.find("j", KindCase.EMD, 2)).contains(reply(2));
    assertThat(restarted.find("j", KindCase.GRAPH, 2)).isEmpty();
    assertThat(restarted.find("j", KindCase.GRAPH, 5)).contains(reply(5));
    restarted.forget("j", KindCase.GRAPH);
    assertThat(restarted.find("j", KindCase.GRAPH, 5)).isEmpty();
    assertThat(new LastReplies(new ArtifactStore(root)).find("j", KindCase.GRAPH, 5)).isEmpty();
  }
}
