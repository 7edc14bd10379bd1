/**
 * File-system helpers shared by the runs and the services: atomic replacement, tree deletion, and
 * file sinks that write a directory or only compute its content digest.
 */
package dev.retort.core.io;
