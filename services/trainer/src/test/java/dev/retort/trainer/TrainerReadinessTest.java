package dev.retort.trainer;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import dev.retort.messaging.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
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
  void trainerIsNotReadyOnceAReaderItNeedsHasStopped() {
    given().when().get("/q/health/ready").then().statusCode(200);

    service.control().close();

    given().when().get("/q/health/ready").then().statusCode(503)
        .body(containsString("the reader of " + Topics.JOB_CONTROL + " has stopped"));
  }
}
