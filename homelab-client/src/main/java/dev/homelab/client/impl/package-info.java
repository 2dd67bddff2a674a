/** The client's implementation. Not a supported API. */
package dev.homelab.client.impl;
