/** Reading ONNX model files (their graph and weights) and turning them into an encoder's weights. */
@NullMarked
package io.fulcrum.backend.onnx;

import org.jspecify.annotations.NullMarked;
