/** File-system helpers shared by the runs and the services: atomic replacement, tree deletion. */
package dev.retort.core.io;
