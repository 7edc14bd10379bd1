package dev.retort.teacher.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retort.teacher.config.TeacherConfig;
import java.io.InputStream;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class WorkerPoolSizeTest {

  @Test
  void theChannelsPoolHoldsEveryComputingAndPublishingRequestOfTheLargestWorkerCount()
      throws Exception {
    Properties p = new Properties();
    try (InputStream in = getClass().getResourceAsStream("/application.properties")) {
      p.load(in);
    }
    String key = "smallrye.messaging.worker." + TeacherRequestConsumer.POOL + ".max-concurrency";
    assertThat(p.getProperty(key)).as(key)
        .isEqualTo(Integer.toString(TeacherRequestConsumer.POOL_THREADS));
    assertThat(TeacherRequestConsumer.POOL_THREADS).isEqualTo(2 * TeacherConfig.MAX_WORKERS);
  }
}
