/**
 * What the teacher, loss and evaluator services share besides the wire: plain classes that each
 * service wraps in a thin CDI bean (its scope, health annotation and configuration).
 *
 * <ul>
 *   <li>Start-up: {@link dev.retort.messaging.service.TopicCreation} (create the missing topics in
 *       the background, retrying until the cluster answers), given a {@link
 *       dev.retort.messaging.service.ClusterAccess}.
 *   <li>Sending: {@link dev.retort.messaging.service.AwaitedProducer} (every send waits for its
 *       acknowledgement), {@link dev.retort.messaging.service.AwaitedDeadLetters} (dead letters
 *       that are durable before the record is committed).
 *   <li>Health: {@link dev.retort.messaging.service.ClusterProbe} (does the cluster answer, cached),
 *       {@link dev.retort.messaging.service.ReadinessChecks} (named problems, in order).
 *   <li>Metrics: {@link dev.retort.messaging.service.JobGauges} (per-job Micrometer gauges, bounded
 *       to the most recently active jobs).
 * </ul>
 *
 * <p>No Quarkus or CDI here. Classes that log take the {@link org.slf4j.Logger} of the service
 * bean that wraps them, so every log line keeps the service's category.
 */
package dev.retort.messaging.service;
