/** The Frigate client's machinery: requests, login and the lenient JSON parsing. Not an API. */
package dev.homelab.core.upstream.frigate.impl;
