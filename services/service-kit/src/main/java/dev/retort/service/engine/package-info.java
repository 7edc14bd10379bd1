/** Loading the PyTorch engine when a service starts, so that readiness can report it. */
package dev.retort.service.engine;
