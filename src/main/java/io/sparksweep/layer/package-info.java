/**
 * One class per notebook layer (forward/backward as static functions returning records) plus the
 * sandwich composites. May use {@code tensor} only.
 */
package io.sparksweep.layer;
