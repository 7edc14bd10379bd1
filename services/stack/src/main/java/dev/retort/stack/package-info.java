/**
 * Starts the real components of a local retort stack on one machine, without Docker.
 *
 * <p>Two halves, used by {@code retort up/down/demo} and by integration tests:
 *
 * <ul>
 *   <li>Kafka: {@link dev.retort.stack.KafkaBroker} with three implementations chosen by
 *       configuration ({@link dev.retort.stack.KafkaBrokers}): a real broker as a separate JVM
 *       ({@link dev.retort.stack.ProcessKafkaBroker}), the same broker classes inside the calling
 *       JVM ({@link dev.retort.stack.EmbeddedKafkaBroker}), or an existing broker given by its
 *       bootstrap address ({@link dev.retort.stack.ExternalKafka}, for Testcontainers or a shared
 *       cluster).
 *   <li>Services: {@link dev.retort.stack.LocalStack} starts Java services as OS processes
 *       ({@link dev.retort.stack.ServiceProcess}), waits until their readiness URL answers, and
 *       records PIDs and ports in {@code <stateDir>/stack.json} so that another JVM can stop them.
 * </ul>
 *
 * <p>Everything binds 127.0.0.1 on free ports ({@link dev.retort.stack.FreePorts}), because several
 * builds may share one machine.
 */
package dev.retort.stack;
