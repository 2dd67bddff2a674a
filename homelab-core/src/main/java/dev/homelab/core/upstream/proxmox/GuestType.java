package dev.homelab.core.upstream.proxmox;

/** The two kinds of Proxmox guest, named as in the API's paths. */
public enum GuestType {
  /** A qemu/KVM virtual machine ({@code /nodes/{node}/qemu}). */
  QEMU("qemu"),
  /** An lxc container ({@code /nodes/{node}/lxc}). */
  LXC("lxc");

  private final String apiName;

  GuestType(String apiName) {
    this.apiName = apiName;
  }

  /**
   * @return {@code qemu} or {@code lxc}, as in paths and in the {@code type} field
   */
  public String apiName() {
    return apiName;
  }

  /**
   * @param name {@code qemu} or {@code lxc}
   * @return the type, or {@code null} for anything else
   */
  public static GuestType fromApiName(String name) {
    if ("qemu".equals(name)) {
      return QEMU;
    }
    return "lxc".equals(name) ? LXC : null;
  }
}
