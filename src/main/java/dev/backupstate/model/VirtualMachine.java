package dev.backupstate.model;

/**
 * Matrix row 4 (Classic only): a KubeVirt virtual machine, named "namespace/name" on its cluster, with
 * KubeVirt's own {@code printableStatus} beside the state it maps to (null when not known).
 */
public record VirtualMachine(String name, VirtualMachineState state, String cluster, String printableStatus, String uid)
        implements Resource {

    /** Not yet created: the decision loop gives it its uid when a decision creates it. */
    public VirtualMachine(String name, VirtualMachineState state, String cluster, String printableStatus) {
        this(name, state, cluster, printableStatus, null);
    }

    public VirtualMachine(String name, VirtualMachineState state, String cluster) {
        this(name, state, cluster, null);
    }

    @Override
    public ResourceKind kind() {
        return ResourceKind.VIRTUAL_MACHINE;
    }

    public VirtualMachine withState(VirtualMachineState next, String printable) {
        return new VirtualMachine(name, next, cluster, printable, uid);
    }

    @Override
    public VirtualMachine withUid(String identity) {
        return new VirtualMachine(name, state, cluster, printableStatus, identity);
    }
}
