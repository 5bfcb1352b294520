package dev.backupstate.cluster;

import dev.backupstate.engine.Catalog;
import dev.backupstate.model.Cluster;
import dev.backupstate.model.ClusterState;
import dev.backupstate.model.Mode;
import dev.backupstate.model.Observation;
import dev.backupstate.model.Observation.VirtualMachineGone;
import dev.backupstate.model.Observation.VirtualMachineObserved;
import dev.backupstate.model.ResourceKind;
import dev.backupstate.model.ResourceRef;
import dev.backupstate.model.VirtualMachine;
import dev.backupstate.model.VirtualMachineState;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Classic only: the KubeVirt virtual machines of every Active cluster, by their printable status
 * (every value of kubevirt/api core/v1/types.go VirtualMachinePrintableStatus, at the commit named in
 * {@link AgentContract}), named "namespace/name" as the catalog names them. Reports the machines whose
 * state or status the catalog does not know yet, and those the catalog holds that their cluster no
 * longer has. A cluster without KubeVirt (404 on the kind) has none; one that cannot be listed now
 * says nothing, so nothing is taken for deleted.
 */
public final class VirtualMachines {

    private static final Logger LOG = LoggerFactory.getLogger(VirtualMachines.class);

    private final ClusterClients clients;
    private final Catalog catalog;
    private final Mode mode;

    public VirtualMachines(ClusterClients clients, Catalog catalog, Mode mode) {
        this.clients = clients;
        this.catalog = catalog;
        this.mode = mode;
    }

    public List<Observation> round() {
        List<Observation> changed = new ArrayList<>();
        if (mode != Mode.CLASSIC) {
            return changed;
        }
        for (var resource : catalog.all(ResourceKind.CLUSTER)) {
            Cluster cluster = (Cluster) resource;
            if (cluster.state() == ClusterState.ACTIVE) {
                look(cluster.name(), changed);
            }
        }
        return changed;
    }

    private void look(String cluster, List<Observation> changed) {
        List<GenericKubernetesResource> machines;
        try {
            Optional<KubernetesClient> client = clients.client(cluster);
            if (client.isEmpty()) {
                return;
            }
            machines = client.get().genericKubernetesResources(AgentContract.VIRTUAL_MACHINE).inAnyNamespace().list().getItems();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                LOG.debug("virtual machines of cluster {} cannot be listed now: {}", cluster, e.getMessage());
            }
            return;
        }
        Set<String> present = new HashSet<>();
        for (GenericKubernetesResource machine : machines) {
            String printable = AgentContract.status(machine, "printableStatus");
            VirtualMachineState state = state(printable);
            String name = machine.getMetadata().getNamespace() + "/" + machine.getMetadata().getName();
            present.add(name);
            Optional<VirtualMachine> known = catalog.find(ResourceRef.of(ResourceKind.VIRTUAL_MACHINE, name)).map(VirtualMachine.class::cast);
            if (known.isEmpty() || known.get().state() != state || !Objects.equals(known.get().printableStatus(), printable)) {
                changed.add(new VirtualMachineObserved(name, cluster, state, printable));
            }
        }
        for (var resource : catalog.all(ResourceKind.VIRTUAL_MACHINE)) {
            VirtualMachine vm = (VirtualMachine) resource;
            if (vm.cluster().equals(cluster) && !present.contains(vm.name())) {
                changed.add(new VirtualMachineGone(vm.name(), cluster));
            }
        }
    }

    /** Every KubeVirt printableStatus, mapped; none (not yet set) and any word KubeVirt adds later are Unknown. */
    static VirtualMachineState state(String printable) {
        if (printable == null) {
            return VirtualMachineState.UNKNOWN;
        }
        return switch (printable) {
            case "Running", "Migrating" -> VirtualMachineState.RUNNING;
            case "Paused" -> VirtualMachineState.PAUSED;
            case "Stopped" -> VirtualMachineState.STOPPED;
            case "Provisioning", "Starting", "WaitingForVolumeBinding", "WaitingForReceiver" -> VirtualMachineState.STARTING;
            case "Stopping", "Terminating" -> VirtualMachineState.STOPPING;
            case "CrashLoopBackOff", "ErrorUnschedulable", "ErrImagePull", "ImagePullBackOff", "ErrorPvcNotFound",
                 "DataVolumeError" -> VirtualMachineState.FAILING;
            default -> VirtualMachineState.UNKNOWN;
        };
    }
}
