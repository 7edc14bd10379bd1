/**
 * Start-up pieces that the teacher, loss and evaluator services share: the replica's name ({@link
 * dev.retort.service.setup.ReplicaName}) and the creation of retort's missing topics ({@link
 * dev.retort.service.setup.StartupTopics}, configured by {@link
 * dev.retort.service.setup.TopicCreationConfig}). Each service binds them to its own configuration
 * with a one-constructor subclass.
 */
package dev.retort.service.setup;
