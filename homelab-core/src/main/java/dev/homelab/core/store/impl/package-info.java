/** Machinery shared by the storage adapters. Not a supported API. */
package dev.homelab.core.store.impl;
