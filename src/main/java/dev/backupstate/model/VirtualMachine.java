package dev.backupstate.model;

/** Matrix row 4 (Classic only): a KubeVirt virtual machine, named "namespace/name" on its cluster. */
public record VirtualMachine(String name, VirtualMachineState state, String cluster) implements Resource {

    @Override
    public ResourceKind kind() {
        return ResourceKind.VIRTUAL_MACHINE;
    }

    public VirtualMachine withState(VirtualMachineState next) {
        return new VirtualMachine(name, next, cluster);
    }
}
