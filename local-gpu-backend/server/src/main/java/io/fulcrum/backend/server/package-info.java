/** The local backend's HTTP server: OpenAI-compatible routes, health, metrics and the command line. */
@NullMarked
package io.fulcrum.backend.server;

import org.jspecify.annotations.NullMarked;
