/**
 * Demo mode ({@code ENABLE_MOCK_DATA=true}): {@link dev.homelab.server.demo.DemoUpstreams} starts
 * the simulators of {@code homelab-simulators} on loopback and hands their addresses and
 * credentials to the server's configuration, so that the real clients talk to them. The one package
 * of the server that uses the simulators ({@code ArchitectureTest}).
 */
package dev.homelab.server.demo;
