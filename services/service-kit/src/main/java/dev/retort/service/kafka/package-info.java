/**
 * The Kafka clients the teacher, loss and evaluator services create themselves, besides the
 * channels Quarkus manages: where the cluster is ({@link dev.retort.service.kafka.KafkaAccess}),
 * the client factory tests replace ({@link dev.retort.service.kafka.KafkaClients}), the shared
 * admin client, the binding of the clients' metrics to Micrometer, and the acknowledged producer
 * of the services that answer requests ({@link dev.retort.service.kafka.ServiceProducer}), their
 * dead letters ({@link dev.retort.service.kafka.ServiceDeadLetters}), and how a request record is
 * settled: acknowledged, or handled again and left uncommitted after a transient failure ({@link
 * dev.retort.service.kafka.RecordSettler}).
 */
package dev.retort.service.kafka;
