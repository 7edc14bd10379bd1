package dev.retort.trainer;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import dev.retort.messaging.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Against a real broker: a trainer whose job-control reader has stopped says it is not ready and
 * names the reader (its own application: the reader is not started again).
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = true)
class TrainerReadinessTest {
  @Inject TrainerService service;

  @Test
  void trainerIsNotReadyOnceAReaderItNeedsHasStopped() throws InterruptedException {
    awaitReady(Duration.ofSeconds(60));

    service.control().close();

    given().when().get("/q/health/ready").then().statusCode(503)
        .body(containsString("the reader of " + Topics.JOB_CONTROL + " has stopped"));
  }

  /**
   * Waits until the trainer says it is ready: at start it reads the teacher index to its end
   * first, which on a loaded machine outlasts the application's start (a clean-clone CI run saw
   * "still reading the teacher index" here). Fails with the last answer after the limit.
   */
  private static void awaitReady(Duration limit) throws InterruptedException {
    long end = System.nanoTime() + limit.toNanos();
    while (given().when().get("/q/health/ready").statusCode() != 200 && System.nanoTime() < end) {
      Thread.sleep(200);
    }
    given().when().get("/q/health/ready").then().statusCode(200);
  }
}
