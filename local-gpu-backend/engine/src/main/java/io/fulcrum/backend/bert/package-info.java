/** The BERT-family encoder as data: its shape and weights, independent of the file format and the device. */
@NullMarked
package io.fulcrum.backend.bert;

import org.jspecify.annotations.NullMarked;
