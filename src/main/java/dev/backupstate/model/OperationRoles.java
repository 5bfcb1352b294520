package dev.backupstate.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The roles table: the role each operation needs (README "Security" shows the same table, and a test
 * holds the two together). Setting up the fleet is an admin's; working on it an operator's; a
 * viewer only reads. Engine-internal events are the engine's alone.
 */
public final class OperationRoles {

    private static final Map<Class<? extends Request>, Role> TABLE = build();

    private OperationRoles() {
    }

    private static Map<Class<? extends Request>, Role> build() {
        Map<Class<? extends Request>, Role> roles = new LinkedHashMap<>();
        roles.put(Request.CreateBackupLocation.class, Role.ADMIN);
        roles.put(Request.ValidateBackupLocation.class, Role.ADMIN);
        roles.put(Request.DeleteBackupLocation.class, Role.ADMIN);
        roles.put(Request.AddCluster.class, Role.ADMIN);
        roles.put(Request.RemoveCluster.class, Role.ADMIN);
        roles.put(Request.LinkClusterToLocation.class, Role.ADMIN);
        roles.put(Request.CreateDiscoveryConfig.class, Role.ADMIN);
        roles.put(Request.DeleteDiscoveryConfig.class, Role.ADMIN);
        roles.put(Request.DiscoverClusters.class, Role.ADMIN);
        roles.put(Request.RefreshClusters.class, Role.ADMIN);
        roles.put(Request.SetUserState.class, Role.ADMIN);
        roles.put(Request.CreateSchedulePolicy.class, Role.OPERATOR);
        roles.put(Request.CreateSchedule.class, Role.OPERATOR);
        roles.put(Request.SuspendSchedule.class, Role.OPERATOR);
        roles.put(Request.ResumeSchedule.class, Role.OPERATOR);
        roles.put(Request.DeleteSchedule.class, Role.OPERATOR);
        roles.put(Request.CreateBackup.class, Role.OPERATOR);
        roles.put(Request.DeleteBackup.class, Role.OPERATOR);
        roles.put(Request.CreateRestore.class, Role.OPERATOR);
        roles.put(Request.ShareBackup.class, Role.OPERATOR);
        roles.put(Request.TriggerSync.class, Role.OPERATOR);
        roles.put(Request.ScheduleTriggered.class, Role.ENGINE);
        return Collections.unmodifiableMap(roles);
    }

    /** Every request kind and its role, in the table's order. */
    public static Map<Class<? extends Request>, Role> table() {
        return TABLE;
    }

    public static Role of(Class<?> type) {
        Role role = TABLE.get(type);
        if (role == null) {
            throw new IllegalStateException(type.getSimpleName() + " has no row in the roles table (OperationRoles)");
        }
        return role;
    }

    /** Operations a person may send in a document: all but the engine's own. */
    public static boolean fromPeople(Class<?> type) {
        return TABLE.containsKey(type) && TABLE.get(type) != Role.ENGINE;
    }
}
