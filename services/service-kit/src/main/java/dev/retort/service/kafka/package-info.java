/**
 * The Kafka clients the teacher, loss and evaluator services create themselves, besides the
 * channels Quarkus manages: where the cluster is ({@link dev.retort.service.kafka.KafkaAccess}),
 * the client factory tests replace ({@link dev.retort.service.kafka.KafkaClients}), the shared
 * admin client and the binding of the clients' metrics to Micrometer.
 */
package dev.retort.service.kafka;
