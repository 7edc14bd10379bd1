/**
 * Health pieces that the teacher, loss and evaluator services share: the watch over requests in
 * hand that their liveness checks read ({@link dev.retort.service.health.HandlerWatch}), and the
 * readiness check each binds to its own checks with a one-constructor subclass ({@link
 * dev.retort.service.health.ServiceReadiness}).
 */
package dev.retort.service.health;
