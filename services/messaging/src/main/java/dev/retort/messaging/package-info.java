/**
 * The shared Kafka layer of the retort services and the CLI.
 *
 * <ul>
 *   <li>Topics: {@link dev.retort.messaging.Topics} (names and how each is created, with {@link
 *       dev.retort.messaging.TopicSettings}), {@link dev.retort.messaging.TopicAdmin} (create the
 *       missing ones).
 *   <li>Client settings: {@link dev.retort.messaging.ClientConfigs} (every setting explained),
 *       {@link dev.retort.messaging.KafkaSecurity} (TLS/SASL pass-through), {@link
 *       dev.retort.messaging.Redaction} (logging without secrets).
 *   <li>Values: {@link dev.retort.messaging.ProtoSerde} and {@link dev.retort.messaging.Decoded}
 *       (decoding that never throws out of a poll loop), {@link
 *       dev.retort.messaging.SchemaVersions}, {@link dev.retort.messaging.TrainingRequests}
 *       (binary or JSON), {@link dev.retort.messaging.TensorCodec} and {@link
 *       dev.retort.messaging.MatrixCodec} (validated tensors), {@link
 *       dev.retort.messaging.JobEvents}.
 *   <li>Large values: {@link dev.retort.messaging.Chunker}, {@link
 *       dev.retort.messaging.ChunkedProducer}, {@link dev.retort.messaging.Reassembler} and {@link
 *       dev.retort.messaging.ChunkFetcher} (replay by offset).
 *   <li>Failure handling: {@link dev.retort.messaging.DeadLetters}, {@link
 *       dev.retort.messaging.ReplyWaiter}.
 * </ul>
 *
 * <p>No Quarkus here: the services wrap these classes in small adapters; {@code
 * dev.retort.messaging.service} holds the building blocks those adapters share.
 */
package dev.retort.messaging;
