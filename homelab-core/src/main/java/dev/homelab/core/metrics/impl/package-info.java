/** The downsampler's machinery and the in-memory repository. Not an API. */
package dev.homelab.core.metrics.impl;
