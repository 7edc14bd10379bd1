package dev.retort.trainer;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import dev.retort.messaging.Topics;
import dev.retort.messaging.testing.Http;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
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

  @TestHTTPResource("/q/health/ready")
  URL ready;

  @Test
  void trainerIsNotReadyOnceAReaderItNeedsHasStopped() throws InterruptedException {
    // At start the trainer reads the teacher index to its end before it is ready; on a loaded
    // machine that outlasts the application's start (a clean-clone CI run saw "still reading the
    // teacher index" here), so wait for it rather than ask once.
    Http.await(ready.toString(), body -> body.matches("(?s)\\{\\s*\"status\"\\s*:\\s*\"UP\".*"),
        Duration.ofSeconds(60));
    given().when().get("/q/health/ready").then().statusCode(200);

    service.control().close();

    given().when().get("/q/health/ready").then().statusCode(503)
        .body(containsString("the reader of " + Topics.JOB_CONTROL + " has stopped"));
  }
}
