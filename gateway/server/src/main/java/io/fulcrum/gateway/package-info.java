/**
 * The Fulcrum gateway application: Spring Boot and Spring Cloud Gateway wiring around the request path
 * auth &rarr; decode &rarr; rate limit &rarr; route &rarr; dispatch with fallback &rarr; meter. See
 * {@code docs/architecture.md} for the picture.
 */
@NullMarked
package io.fulcrum.gateway;

import org.jspecify.annotations.NullMarked;
