package dev.backupstate.model;

import java.time.Instant;
import java.util.List;

/**
 * Matrix row 6: one backup in the catalog. {@code schedule} is null for a manual backup;
 * {@code incrementalOf} names the backup this one depends on; {@code virtualMachine} is set for a VM
 * backup (Classic only); {@code deletingOn} is the cluster whose Stork was asked to delete its data
 * (Federated), kept so that a deletion in flight is followed again after a restart. {@code uid} is the
 * backup's identity; {@code scheduleUid} the identity of the schedule that made it and {@code baseUid}
 * that of its base: names can be used again, identities cannot, so retention and dependents go by them.
 */
public record Backup(String name, BackupState state, String cluster, String location, String owner,
                     String schedule, String incrementalOf, Instant created, List<String> namespaces,
                     String virtualMachine, BackupMethod method, String preExecRule, String postExecRule,
                     String cause, String labelSelector, String deletingOn,
                     java.util.Map<String, String> labels, String uid, String scheduleUid, String baseUid)
        implements Resource {

    /** Not yet created: the decision loop gives it its identities when a decision creates it. */
    public Backup(String name, BackupState state, String cluster, String location, String owner, String schedule,
                  String incrementalOf, Instant created, List<String> namespaces, String virtualMachine, BackupMethod method,
                  String preExecRule, String postExecRule, String cause, String labelSelector, String deletingOn,
                  java.util.Map<String, String> labels) {
        this(name, state, cluster, location, owner, schedule, incrementalOf, created, namespaces, virtualMachine, method,
                preExecRule, postExecRule, cause, labelSelector, deletingOn, labels, null, null, null);
    }

    public Backup(String name, BackupState state, String cluster, String location, String owner, String schedule,
                  String incrementalOf, Instant created, List<String> namespaces, String virtualMachine, BackupMethod method,
                  String preExecRule, String postExecRule, String cause, String labelSelector, String deletingOn) {
        this(name, state, cluster, location, owner, schedule, incrementalOf, created, namespaces, virtualMachine, method,
                preExecRule, postExecRule, cause, labelSelector, deletingOn, null);
    }

    public Backup(String name, BackupState state, String cluster, String location, String owner, String schedule,
                  String incrementalOf, Instant created, List<String> namespaces, String virtualMachine, BackupMethod method,
                  String preExecRule, String postExecRule, String cause, String labelSelector) {
        this(name, state, cluster, location, owner, schedule, incrementalOf, created, namespaces, virtualMachine, method,
                preExecRule, postExecRule, cause, labelSelector, null);
    }

    /** A backup of whole namespaces (no label selector). */
    public Backup(String name, BackupState state, String cluster, String location, String owner, String schedule,
                  String incrementalOf, Instant created, List<String> namespaces, String virtualMachine, BackupMethod method,
                  String preExecRule, String postExecRule, String cause) {
        this(name, state, cluster, location, owner, schedule, incrementalOf, created, namespaces, virtualMachine, method,
                preExecRule, postExecRule, cause, null);
    }

    public Backup {
        namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
        method = method == null ? BackupMethod.SNAPSHOT : method;
        labels = labels == null ? java.util.Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(labels));
    }

    /** The same backup carrying these labels (the operator's, or its schedule's). */
    public Backup withLabels(java.util.Map<String, String> labels) {
        return new Backup(name, state, cluster, location, owner, schedule, incrementalOf, created, namespaces,
                virtualMachine, method, preExecRule, postExecRule, cause, labelSelector, deletingOn, labels, uid, scheduleUid, baseUid);
    }

    @Override
    public ResourceKind kind() {
        return ResourceKind.BACKUP;
    }

    public Backup withState(BackupState next, String why) {
        return new Backup(name, next, cluster, location, owner, schedule, incrementalOf, created, namespaces,
                virtualMachine, method, preExecRule, postExecRule, why, labelSelector, deletingOn, labels, uid, scheduleUid, baseUid);
    }

    /** Deleting, its data being deleted by Stork on {@code cluster}. */
    public Backup deletingOn(String cluster, String why) {
        return new Backup(name, BackupState.DELETING, this.cluster, location, owner, schedule, incrementalOf, created, namespaces,
                virtualMachine, method, preExecRule, postExecRule, why, labelSelector, cluster, labels, uid, scheduleUid, baseUid);
    }

    @Override
    public Backup withUid(String identity) {
        return new Backup(name, state, cluster, location, owner, schedule, incrementalOf, created, namespaces,
                virtualMachine, method, preExecRule, postExecRule, cause, labelSelector, deletingOn, labels, identity, scheduleUid, baseUid);
    }

    /** Created: with its identity, its schedule's and its base's, as the catalog holds them now. */
    public Backup identified(String identity, String ofSchedule, String ofBase) {
        return new Backup(name, state, cluster, location, owner, schedule, incrementalOf, created, namespaces,
                virtualMachine, method, preExecRule, postExecRule, cause, labelSelector, deletingOn, labels, identity, ofSchedule, ofBase);
    }

    public boolean hasFreezeRules() {
        return preExecRule != null || postExecRule != null;
    }
}
