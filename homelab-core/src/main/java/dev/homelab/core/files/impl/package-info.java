/** The file store's disk machinery: the directory layout and the writer that hashes as it goes. */
package dev.homelab.core.files.impl;
