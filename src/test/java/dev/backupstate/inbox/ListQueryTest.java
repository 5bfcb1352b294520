package dev.backupstate.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.backupstate.engine.Catalog;
import dev.backupstate.engine.InMemoryCatalog;
import dev.backupstate.model.Backup;
import dev.backupstate.model.BackupMethod;
import dev.backupstate.model.BackupState;
import dev.backupstate.model.Connection;
import dev.backupstate.model.ConnectionState;
import dev.backupstate.model.Resource;
import dev.backupstate.model.ResourceKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A list query checked before anything is read, and pages walked from the continue token. */
class ListQueryTest {

    private static Backup backup(String name, BackupState state, String location, Map<String, String> labels) {
        return new Backup(name, state, "c1", location, "alice", null, null, Instant.parse("2026-12-01T00:00:00Z"), List.of("shop"),
                null, BackupMethod.SNAPSHOT, null, null, null, null, null, labels);
    }

    @Test
    void should_filter_by_state_as_operators_type_it_and_by_labels_as_kubernetes_selects() {
        Backup gold = backup("a", BackupState.PARTIAL_SUCCESS, "l1", Map.of("tier", "gold", "team", "shop"));
        Backup silver = backup("b", BackupState.SUCCESS, "l2", Map.of("tier", "silver"));

        assertThat(ListQuery.of(ResourceKind.BACKUP, Map.of("state", "partial-success")).filter().test(gold)).isTrue();
        assertThat(ListQuery.of(ResourceKind.BACKUP, Map.of("state", "Partial Success")).filter().test(silver)).isFalse();
        assertThat(ListQuery.of(ResourceKind.BACKUP, Map.of("labelSelector", "tier=gold,team")).filter().test(gold)).isTrue();
        assertThat(ListQuery.of(ResourceKind.BACKUP, Map.of("labelSelector", "tier!=gold")).filter().test(gold)).isFalse();
        assertThat(ListQuery.of(ResourceKind.BACKUP, Map.of("labelSelector", "!team")).filter().test(silver)).isTrue();
        assertThat(ListQuery.of(ResourceKind.BACKUP, Map.of("labelSelector", "tier==silver", "location", "l2")).filter().test(silver)).isTrue();
    }

    @Test
    void should_refuse_what_the_kind_cannot_answer_naming_the_parameter() {
        assertThat(refused(ResourceKind.BACKUP, "state", "Sleeping")).contains("expected one of", "Partial Success");
        assertThat(refused(ResourceKind.SHARE, "state", "Active")).contains("have no state");
        assertThat(refused(ResourceKind.USER, "location", "l1")).contains("users have no location");
        assertThat(refused(ResourceKind.CLUSTER, "labelSelector", "a=b")).contains("clusters have no labels");
        assertThat(refused(ResourceKind.BACKUP, "labelSelector", "a=b=c")).contains("not a label selector");
        assertThat(refused(ResourceKind.BACKUP, "limit", "5001")).contains("1 to 5000");
        assertThat(refused(ResourceKind.BACKUP, "continue", "not-ours")).contains("not a continue token");
    }

    private static String refused(ResourceKind kind, String parameter, String value) {
        ListQuery.BadParameter bad = catchThrowableOfType(() -> ListQuery.of(kind, Map.of(parameter, value)), ListQuery.BadParameter.class);
        assertThat(bad.parameter()).isEqualTo(parameter);
        return bad.getMessage();
    }

    @Test
    void should_page_backups_and_connections_from_the_continue_token_without_gap_or_repeat() {
        InMemoryCatalog catalog = new InMemoryCatalog();
        for (int i = 0; i < 25; i++) {
            catalog.put(backup(String.format("b-%02d", i), i % 3 == 0 ? BackupState.FAILURE : BackupState.SUCCESS, "l1", Map.of()));
            catalog.put(new Connection(i % 2 == 0 ? "l1" : "l10", "c" + i, ConnectionState.VALID, null));
        }
        for (ResourceKind kind : List.of(ResourceKind.BACKUP, ResourceKind.CONNECTION)) {
            List<String> seen = new ArrayList<>();
            String after = null;
            do {
                ListQuery query = ListQuery.of(kind, after == null ? Map.of("limit", "4") : Map.of("limit", "4", "continue", ListQuery.token(after)));
                Catalog.Page page = catalog.page(kind, query.filter(), query.after(), query.limit());
                page.items().stream().map(Resource::name).forEach(seen::add);
                after = page.next();
            } while (after != null);
            assertThat(seen).as(kind.path()).hasSize(25).doesNotHaveDuplicates()
                    .containsExactlyElementsOf(catalog.all(kind).stream().map(Resource::name).toList());
        }
        assertThat(catalog.page(ResourceKind.BACKUP, r -> r.state() == BackupState.FAILURE, "b-10", 100).items())
                .extracting(Resource::name).containsExactly("b-12", "b-15", "b-18", "b-21", "b-24");
    }
}
