/**
 * Server-Sent Events framing: a push decoder that turns arbitrary byte chunks from the network into whole
 * events, and an encoder for the events Fulcrum writes.
 */
@NullMarked
package io.fulcrum.protocol.sse;

import org.jspecify.annotations.NullMarked;
