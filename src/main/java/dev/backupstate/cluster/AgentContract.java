package dev.backupstate.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import java.util.List;
import java.util.Map;

/**
 * The custom resources the engine and a cluster's agent exchange (../DESIGN.md "Cluster agent
 * contract"), and every name of ours the public types do not define, in one place. What Stork does
 * with them is read from its controllers at {@link #STORK_SOURCE}: {@link StorkBackups} (bucket layout,
 * sync's copies, finalizer), {@link StorkLocations} (BackupLocation), {@link StorkObjects}
 * (ApplicationBackup, ApplicationRestore). Nothing of ours is a field on Stork's types: validation is a
 * Job of ours ({@link LocationChecks}), and what the engine must know again about an ApplicationBackup
 * travels in annotations ({@link StorkBackups#ANNOTATION_BACKUP}, {@link StorkBackups#ANNOTATION_CLUSTER},
 * {@link #ANNOTATION_INCREMENTAL_OF}).
 */
public final class AgentContract {

    /** The sources this contract was read from, pinned (issue 11): every field below exists there unless marked "ours". */
    public static final String STORK_SOURCE = "libopenstorage/stork@9dc3204614b26c0091e0d4829c41dd3972b692f0";
    /** core/v1/types.go: VirtualMachine, status.printableStatus and its values (VirtualMachines maps every one). */
    public static final String KUBEVIRT_SOURCE = "kubevirt/api@c3275b31894bb048f950e10ee31218ff5ba45c3f";

    public static final String STORK_GROUP = "stork.libopenstorage.org";
    public static final String STORK_VERSION = "v1alpha1";

    public static final CustomResourceDefinitionContext APPLICATION_BACKUP = stork("ApplicationBackup", "applicationbackups");
    public static final CustomResourceDefinitionContext APPLICATION_RESTORE = stork("ApplicationRestore", "applicationrestores");
    public static final CustomResourceDefinitionContext BACKUP_LOCATION = stork("BackupLocation", "backuplocations");
    public static final CustomResourceDefinitionContext VIRTUAL_MACHINE = new CustomResourceDefinitionContext.Builder()
            .withGroup("kubevirt.io").withVersion("v1").withKind("VirtualMachine").withPlural("virtualmachines")
            .withScope("Namespaced").withName("virtualmachines.kubevirt.io").build();
    public static final CustomResourceDefinitionContext SHOOT = new CustomResourceDefinitionContext.Builder()
            .withGroup("core.gardener.cloud").withVersion("v1beta1").withKind("Shoot").withPlural("shoots")
            .withScope("Namespaced").withName("shoots.core.gardener.cloud").build();

    /**
     * Gardener's Project (cluster-scoped; pkg/apis/core/v1beta1/types_project.go): its
     * {@code spec.namespace} is where the project's shoots are, often {@code garden-NAME} but not always.
     */
    public static final CustomResourceDefinitionContext PROJECT = new CustomResourceDefinitionContext.Builder()
            .withGroup("core.gardener.cloud").withVersion("v1beta1").withKind("Project").withPlural("projects")
            .withScope("Cluster").withName("projects.core.gardener.cloud").build();
    /** The Gardener source read for Shoot, Project and the adminkubeconfig subresource. */
    public static final String GARDENER_SOURCE = "gardener/gardener@b312835d1784c3628983205c05452b2eaa95b645";

    /** Every kind the engine reads or writes on a cluster. */
    public static final List<CustomResourceDefinitionContext> ALL =
            List.of(APPLICATION_BACKUP, APPLICATION_RESTORE, BACKUP_LOCATION, VIRTUAL_MACHINE, SHOOT, PROJECT);

    /** Label on everything the engine creates on a cluster: which engine object it carries out. */
    public static final String LABEL_MANAGED_BY = "backupstate.dev/managed-by";
    public static final String MANAGED_BY = "backup-state-engine";

    // ApplicationBackup / ApplicationRestore status, as Stork writes it
    public static final String STATUS = "status";
    public static final String STATUS_STATUS = "status";
    public static final String STATUS_STAGE = "stage";
    public static final String STATUS_REASON = "reason";

    // Per-cluster validation is no field of Stork's: it is a Job of ours (LocationChecks), batch/v1.
    // Which catalog backup an ApplicationBackup stands for, and where it was taken: our annotations (StorkBackups).
    /** Ours, an annotation (Stork has no field for it): the backup an incremental ApplicationBackup builds on. */
    public static final String ANNOTATION_INCREMENTAL_OF = "backupstate.dev/incremental-of";
    /**
     * Ours, an annotation: the uid of the catalog's backup or restore an object carries out. An object of
     * the same name without it (or with another) is not ours: a 409 on create is checked against it.
     */
    public static final String ANNOTATION_UID = "backupstate.dev/uid";

    private AgentContract() {
    }

    private static CustomResourceDefinitionContext stork(String kind, String plural) {
        return new CustomResourceDefinitionContext.Builder()
                .withGroup(STORK_GROUP).withVersion(STORK_VERSION).withKind(kind).withPlural(plural)
                .withScope("Namespaced").withName(plural + "." + STORK_GROUP).withStatusSubresource(false).build();
    }

    /** A resource of {@code context}'s kind, labelled as the engine's. */
    public static GenericKubernetesResource resource(CustomResourceDefinitionContext context, String namespace, String name,
                                                     Map<String, Object> spec) {
        GenericKubernetesResource resource = new GenericKubernetesResource();
        resource.setApiVersion(context.getGroup() + "/" + context.getVersion());
        resource.setKind(context.getKind());
        resource.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).withNamespace(namespace)
                .addToLabels(LABEL_MANAGED_BY, MANAGED_BY).build());
        resource.setAdditionalProperty("spec", spec);
        return resource;
    }

    /** {@code status.<field>} of a resource as text, or null. */
    @SuppressWarnings("unchecked")
    public static String status(GenericKubernetesResource resource, String field) {
        Object status = resource.getAdditionalProperties().get(STATUS);
        if (status instanceof Map<?, ?> map) {
            Object value = ((Map<String, Object>) map).get(field);
            return value == null ? null : value.toString();
        }
        return null;
    }
}
