package dev.backupstate.cluster;

import dev.backupstate.engine.InMemoryCatalog;
import dev.backupstate.model.Cluster;
import dev.backupstate.model.ClusterState;
import dev.backupstate.model.Mode;
import dev.backupstate.model.Observation.VirtualMachineObserved;
import dev.backupstate.model.ResourceKind;
import dev.backupstate.model.ResourceRef;
import dev.backupstate.model.VirtualMachine;
import dev.backupstate.model.VirtualMachineState;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Classic only: the KubeVirt virtual machines of every Active cluster, by their printable status
 * (Running, Paused, Stopped), named "namespace/name" as the catalog names them. Reports the machines
 * whose state the catalog does not know yet. A cluster without KubeVirt (404 on the kind) has none.
 */
public final class VirtualMachines {

    private static final Logger LOG = LoggerFactory.getLogger(VirtualMachines.class);

    private final ClusterClients clients;
    private final InMemoryCatalog catalog;
    private final Mode mode;

    public VirtualMachines(ClusterClients clients, InMemoryCatalog catalog, Mode mode) {
        this.clients = clients;
        this.catalog = catalog;
        this.mode = mode;
    }

    public List<VirtualMachineObserved> round() {
        List<VirtualMachineObserved> changed = new ArrayList<>();
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

    private void look(String cluster, List<VirtualMachineObserved> changed) {
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
        for (GenericKubernetesResource machine : machines) {
            VirtualMachineState state = state(AgentContract.status(machine, "printableStatus"));
            if (state == null) {
                continue;
            }
            String name = machine.getMetadata().getNamespace() + "/" + machine.getMetadata().getName();
            Optional<VirtualMachine> known = catalog.find(ResourceRef.of(ResourceKind.VIRTUAL_MACHINE, name)).map(VirtualMachine.class::cast);
            if (known.isEmpty() || known.get().state() != state) {
                changed.add(new VirtualMachineObserved(name, cluster, state));
            }
        }
    }

    /** KubeVirt's printableStatus; a machine starting, migrating or failing is reported when it settles. */
    static VirtualMachineState state(String printable) {
        if (printable == null) {
            return null;
        }
        return switch (printable) {
            case "Running" -> VirtualMachineState.RUNNING;
            case "Paused" -> VirtualMachineState.PAUSED;
            case "Stopped", "Halted" -> VirtualMachineState.STOPPED;
            default -> null;
        };
    }
}
