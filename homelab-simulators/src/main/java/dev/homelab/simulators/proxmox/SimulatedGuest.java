package dev.homelab.simulators.proxmox;

import java.util.Objects;

/**
 * One guest of a {@link ProxmoxSimulator}, as it is when the simulator starts: a qemu virtual
 * machine or an lxc container, running or stopped, and how its start behaves.
 *
 * @param vmid its id, 100 or more, unique on the simulated server
 * @param type {@code qemu} or {@code lxc}
 * @param name its name
 * @param running whether it runs at start
 * @param cpus its virtual CPUs
 * @param maxmem its memory in bytes
 * @param maxdisk its root disk in bytes
 * @param template whether it is a template (a template cannot start)
 * @param startFailure the error text a start task ends with, or {@code null} for a start that works
 * @param startWarnings how many warnings a successful start logs ({@code WARNINGS: n}), 0 for none
 */
public record SimulatedGuest(
    int vmid,
    String type,
    String name,
    boolean running,
    int cpus,
    long maxmem,
    long maxdisk,
    boolean template,
    String startFailure,
    int startWarnings) {

  /** Checks the values. */
  public SimulatedGuest {
    if (vmid < 100) {
      throw new IllegalArgumentException("a vmid is 100 or more");
    }
    if (!"qemu".equals(type) && !"lxc".equals(type)) {
      throw new IllegalArgumentException("a guest is qemu or lxc");
    }
    Objects.requireNonNull(name, "name");
  }

  /**
   * @param vmid its id
   * @param name its name
   * @param running whether it runs at start
   * @return a virtual machine with 2 CPUs, 2 GiB of memory and a 32 GiB disk
   */
  public static SimulatedGuest qemu(int vmid, String name, boolean running) {
    return new SimulatedGuest(vmid, "qemu", name, running, 2, 2L << 30, 32L << 30, false, null, 0);
  }

  /**
   * @param vmid its id
   * @param name its name
   * @param running whether it runs at start
   * @return a container with 1 CPU, 512 MiB of memory and an 8 GiB disk
   */
  public static SimulatedGuest lxc(int vmid, String name, boolean running) {
    return new SimulatedGuest(vmid, "lxc", name, running, 1, 512L << 20, 8L << 30, false, null, 0);
  }

  /**
   * @param error the error text its start tasks end with, such as {@code start failed: QEMU exited
   *     with code 1}
   * @return this guest, whose starts fail
   */
  public SimulatedGuest failingStart(String error) {
    return new SimulatedGuest(
        vmid, type, name, running, cpus, maxmem, maxdisk, template, error, startWarnings);
  }

  /**
   * @param warnings how many warnings a start logs
   * @return this guest, whose starts succeed with {@code WARNINGS: n}
   */
  public SimulatedGuest warningOnStart(int warnings) {
    return new SimulatedGuest(
        vmid, type, name, running, cpus, maxmem, maxdisk, template, startFailure, warnings);
  }

  /**
   * @param cpus virtual CPUs
   * @param maxmem memory in bytes
   * @param maxdisk disk in bytes
   * @return this guest with other resources
   */
  public SimulatedGuest withResources(int cpus, long maxmem, long maxdisk) {
    return new SimulatedGuest(
        vmid, type, name, running, cpus, maxmem, maxdisk, template, startFailure, startWarnings);
  }

  /**
   * @return this guest as a template
   */
  public SimulatedGuest asTemplate() {
    return new SimulatedGuest(
        vmid, type, name, running, cpus, maxmem, maxdisk, true, startFailure, startWarnings);
  }
}
