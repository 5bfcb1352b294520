package dev.backupstate.store.migration;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Gives the resources stored before issue 21 their identities, once: a uid each; a backup the uids of
 * its schedule (only when the schedule of that name is still there and has the backup's owner: a
 * backup of a deleted schedule belongs to no schedule that exists now) and of its base; a share that of
 * its backup. The audit entries about each resource so far are linked to its uid (a name held by one
 * resource only, until now). Runs unchanged on H2 and PostgreSQL.
 */
public class V13__identities_backfill extends BaseJavaMigration {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        Map<String, ObjectNode> bodies = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement("select kind, name, body from resource");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                ObjectNode body = (ObjectNode) JSON.readTree(rows.getString(3));
                if (!body.hasNonNull("uid")) {
                    body.put("uid", UUID.randomUUID().toString());
                }
                bodies.put(rows.getString(1) + "/" + rows.getString(2), body);
            }
        }
        for (Map.Entry<String, ObjectNode> entry : bodies.entrySet()) {
            ObjectNode body = entry.getValue();
            if (entry.getKey().startsWith("BACKUP/")) {
                ObjectNode schedule = bodies.get("SCHEDULE/" + body.path("schedule").asText(""));
                if (schedule != null && schedule.path("owner").asText("").equals(body.path("owner").asText())) {
                    body.put("scheduleUid", schedule.path("uid").asText());
                }
                ObjectNode base = bodies.get("BACKUP/" + body.path("incrementalOf").asText(""));
                if (base != null) {
                    body.put("baseUid", base.path("uid").asText());
                }
            } else if (entry.getKey().startsWith("SHARE/")) {
                ObjectNode backup = bodies.get("BACKUP/" + body.path("backup").asText(""));
                if (backup != null) {
                    body.put("backupUid", backup.path("uid").asText());
                }
            }
        }
        try (PreparedStatement update = connection.prepareStatement("update resource set body = ? where kind = ? and name = ?")) {
            for (Map.Entry<String, ObjectNode> entry : bodies.entrySet()) {
                String[] key = entry.getKey().split("/", 2);
                update.setString(1, JSON.writeValueAsString(entry.getValue()));
                update.setString(2, key[0]);
                update.setString(3, key[1]);
                update.addBatch();
            }
            update.executeBatch();
        }
        Map<String, String> uidByRef = new HashMap<>();
        bodies.forEach((key, body) -> {
            String[] parts = key.split("/", 2);
            // as the audit names a resource: its kind's path (backup-locations, schedule-policies, ...) and name
            uidByRef.put(dev.backupstate.model.ResourceKind.valueOf(parts[0]).path() + "/" + parts[1], body.path("uid").asText());
        });
        try (PreparedStatement select = connection.prepareStatement("select id, subject from audit");
             PreparedStatement link = connection.prepareStatement("insert into audit_resource (audit_id, uid, ref) values (?, ?, ?)");
             PreparedStatement subject = connection.prepareStatement("update audit set subject_uid = ? where id = ?");
             ResultSet rows = select.executeQuery()) {
            int pending = 0;
            while (rows.next()) {
                String uid = uidByRef.get(rows.getString(2));
                if (uid == null) {
                    continue;
                }
                link.setLong(1, rows.getLong(1));
                link.setString(2, uid);
                link.setString(3, rows.getString(2));
                link.addBatch();
                subject.setString(1, uid);
                subject.setLong(2, rows.getLong(1));
                subject.addBatch();
                if (++pending == 1_000) {
                    link.executeBatch();
                    subject.executeBatch();
                    pending = 0;
                }
            }
            link.executeBatch();
            subject.executeBatch();
        }
    }
}
