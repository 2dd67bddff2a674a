/** The leadership's campaign: timers, lease and transitions. Not an API. */
package dev.homelab.core.leader.impl;
