/**
 * What the embedded default needs to be useful on first start: the provider simulator as demo upstream, and a demo
 * tenant with an app key.
 */
@NullMarked
package io.fulcrum.gateway.bootstrap;

import org.jspecify.annotations.NullMarked;
