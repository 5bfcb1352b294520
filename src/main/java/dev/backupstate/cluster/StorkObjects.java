package dev.backupstate.cluster;

import dev.backupstate.model.Backup;
import dev.backupstate.model.Restore;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ApplicationBackup and ApplicationRestore the engine writes for a backup or restore, in Stork's
 * own fields only (pkg/apis/stork/v1alpha1 at {@link AgentContract#STORK_SOURCE}; the contract test
 * holds them to the field list in src/test/resources/contract). What Stork has no field for travels as
 * an annotation of ours on the object's metadata, which Stork leaves alone.
 */
public final class StorkObjects {

    /** Stork's backupObjectType for a VM backup (pkg/resourcecollector/virtualmachine.go). */
    static final String VIRTUAL_MACHINE_OBJECT_TYPE = "VirtualMachine";

    private StorkObjects() {
    }

    public static GenericKubernetesResource applicationBackup(Backup backup, String namespace, String reclaimPolicy) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("backupLocation", backup.location());
        spec.put("namespaces", backup.namespaces());
        spec.put("reclaimPolicy", reclaimPolicy);
        if (backup.labelSelector() != null) {
            // Stork's selectors: the labels a resource must carry to be backed up
            Map<String, String> selectors = new LinkedHashMap<>();
            for (String pair : backup.labelSelector().split(",")) {
                selectors.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            }
            spec.put("selectors", selectors);
        }
        if (backup.method() == dev.backupstate.model.BackupMethod.KDMP) {
            // Stork's generic (KDMP) data mover: applicationbackup.go ApplicationBackupGeneric
            spec.put("backupType", "Generic");
        }
        putIfSet(spec, "preExecRule", backup.preExecRule());
        putIfSet(spec, "postExecRule", backup.postExecRule());
        if (backup.virtualMachine() != null) {
            virtualMachine(backup, spec);
        }
        GenericKubernetesResource resource = AgentContract.resource(AgentContract.APPLICATION_BACKUP, namespace, backup.name(), spec);
        // kept by Stork in metadata.json and on the copies its sync makes: how a backup is known again anywhere
        resource.getMetadata().getAnnotations().put(StorkBackups.ANNOTATION_BACKUP, backup.name());
        resource.getMetadata().getAnnotations().put(StorkBackups.ANNOTATION_CLUSTER, backup.cluster());
        if (backup.uid() != null) {
            resource.getMetadata().getAnnotations().put(AgentContract.ANNOTATION_UID, backup.uid());
        }
        if (backup.incrementalOf() != null) {
            // Stork has no field for a backup's base: the driver chains incrementals itself
            resource.getMetadata().getAnnotations().put(AgentContract.ANNOTATION_INCREMENTAL_OF, backup.incrementalOf());
        }
        return resource;
    }

    /**
     * A VM backup as Stork's controller validates it (applicationbackup.go,
     * validateApplicationBackupParameters): backupObjectType VirtualMachine, the VM as a whole
     * ObjectInfo (name, namespace, group, version, kind) in includeResources, its namespace among the
     * namespaces, no resourceTypes, and skipAutoExecRules when the backup brings its own exec rules.
     */
    private static void virtualMachine(Backup backup, Map<String, Object> spec) {
        String[] vm = backup.virtualMachine().split("/", 2);
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("name", vm[1]);
        object.put("namespace", vm[0]);
        object.put("group", AgentContract.VIRTUAL_MACHINE.getGroup());
        object.put("version", AgentContract.VIRTUAL_MACHINE.getVersion());
        object.put("kind", AgentContract.VIRTUAL_MACHINE.getKind());
        spec.put("includeResources", List.of(object));
        spec.put("backupObjectType", VIRTUAL_MACHINE_OBJECT_TYPE);
        if (!backup.namespaces().contains(vm[0])) {
            List<String> namespaces = new java.util.ArrayList<>(backup.namespaces());
            namespaces.add(vm[0]);
            spec.put("namespaces", namespaces);
        }
        if (backup.hasFreezeRules()) {
            spec.put("skipAutoExecRules", true);
        }
    }

    /**
     * {@code backupName}: the backup's ApplicationBackup on the restore's cluster, the one Stork reads
     * (on a cluster that did not take it, the copy Stork's sync made, under Stork's name for it).
     */
    public static GenericKubernetesResource applicationRestore(Restore restore, Optional<Backup> backup, String namespace,
                                                               String backupName) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("backupName", backupName);
        backup.ifPresent(b -> {
            spec.put("backupLocation", b.location());
            Map<String, String> mapping = new LinkedHashMap<>();
            // each backed-up namespace to itself, or where the restore asks (Stork's namespaceMapping); the
            // ApplicationRestore is in Stork's admin namespace, the only one from which it may restore elsewhere
            b.namespaces().forEach(ns -> mapping.put(ns, restore.namespaceMapping() == null ? ns
                    : restore.namespaceMapping().getOrDefault(ns, ns)));
            spec.put("namespaceMapping", mapping);
            if (b.virtualMachine() != null) {
                spec.put("backupObjectType", VIRTUAL_MACHINE_OBJECT_TYPE);
            }
        });
        // Stork's replacePolicy: Retain keeps what exists on the cluster, Delete replaces it
        spec.put("replacePolicy", restore.replacePolicy().name().charAt(0) + restore.replacePolicy().name().substring(1).toLowerCase());
        GenericKubernetesResource resource = AgentContract.resource(AgentContract.APPLICATION_RESTORE, namespace, restore.name(), spec);
        if (restore.uid() != null) {
            resource.getMetadata().setAnnotations(new LinkedHashMap<>(Map.of(AgentContract.ANNOTATION_UID, restore.uid())));
        }
        return resource;
    }

    private static void putIfSet(Map<String, Object> spec, String field, Object value) {
        if (value != null) {
            spec.put(field, value);
        }
    }
}
