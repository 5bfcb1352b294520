package dev.backupstate.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backupstate.testing.RestClient;
import dev.backupstate.testing.TestEngine;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The list endpoints' filters and pages (issue 14) on a running sandbox engine, as an operator and as an
 * attacker: pages that meet without gap or repeat, each filter, a filter or token the API does not know
 * refused with the parameter named, and another user's backups neither listed, counted toward a page,
 * nor answerable through the per-backup questions.
 */
class ListingIT {

    private static final String ADMIN = "sandbox-admin-token";
    private static final String DEV = "sandbox-dev-token";

    @TempDir
    Path work;
    private TestEngine engine;
    private RestClient rest;

    @BeforeEach
    void start() throws Exception {
        engine = TestEngine.start(work, Map.of("bse.mode", "Federated", "bse.sandbox.enabled", "true",
                "bse.outbox.poll-millis", "100", "bse.clusters.follow-period-millis", "200"));
        rest = new RestClient(engine.api());
        await().atMost(Duration.ofSeconds(30)).until(() -> "Valid".equals(
                RestClient.json(rest.get(ADMIN, "/resources/backup-locations/sandbox")).path("state").asText()));
        // given: eleven backups of the admin's (two teams) and one of dev's
        for (int i = 1; i <= 11; i++) {
            create(ADMIN, "b-" + String.format("%02d", i), i % 2 == 0 ? "shop" : "billing");
        }
        create(DEV, "dev-own", "shop");
        await().atMost(Duration.ofSeconds(30)).until(() -> names(rest.get(ADMIN, "/resources/backups?state=Success&limit=100")).size() == 12);
    }

    @AfterEach
    void stop() throws Exception {
        engine.close();
    }

    private void create(String token, String name, String team) throws Exception {
        HttpResponse<String> created = rest.post(token, """
                kind: CreateBackup
                metadata: {requestId: create-%1$s}
                spec: {name: %1$s, cluster: sandbox-east, location: sandbox, namespaces: [shop], labels: {team: %2$s}}
                """.formatted(name, team));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
    }

    private static List<String> names(HttpResponse<String> page) throws Exception {
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        RestClient.json(page).path("items").forEach(item -> names.add(item.path("name").asText()));
        return names;
    }

    @Test
    void should_page_through_a_list_without_gap_or_repeat() throws Exception {
        // when: pages of five
        List<String> seen = new ArrayList<>();
        String next = null;
        int pages = 0;
        do {
            JsonNode page = RestClient.json(rest.get(ADMIN, "/resources/backups?limit=5" + (next == null ? "" : "&continue=" + next)));
            page.path("items").forEach(item -> seen.add(item.path("name").asText()));
            next = page.path("continue").asText(null);
            pages++;
        } while (next != null);

        // then: every backup once, in name order, in three pages
        assertThat(pages).isEqualTo(3);
        assertThat(seen).hasSize(12).doesNotHaveDuplicates().isSorted();
    }

    @Test
    void should_filter_by_state_cluster_location_owner_and_labels() throws Exception {
        assertThat(names(rest.get(ADMIN, "/resources/backups?labelSelector=team%3Dshop"))).containsExactly("b-02", "b-04", "b-06", "b-08", "b-10", "dev-own");
        assertThat(names(rest.get(ADMIN, "/resources/backups?labelSelector=team!%3Dshop,team"))).hasSize(6).allMatch(name -> !name.equals("dev-own"));
        assertThat(names(rest.get(ADMIN, "/resources/backups?labelSelector=!team"))).isEmpty();
        assertThat(names(rest.get(ADMIN, "/resources/backups?owner=dev"))).containsExactly("dev-own");
        assertThat(names(rest.get(ADMIN, "/resources/backups?state=success&cluster=sandbox-east&location=sandbox"))).hasSize(12);
        assertThat(names(rest.get(ADMIN, "/resources/backups?state=Failure"))).isEmpty();
        assertThat(RestClient.json(rest.get(ADMIN, "/resources/connections?state=Invalid")).path("items").findValuesAsText("cluster"))
                .containsExactly("sandbox-west");
        assertThat(names(rest.get(ADMIN, "/resources/clusters?cluster=sandbox-west"))).containsExactly("sandbox-west");
    }

    @Test
    void should_refuse_what_it_cannot_answer_naming_the_parameter() throws Exception {
        for (String[] bad : new String[][] {
                {"/resources/backups?state=Sleeping", "state"},
                {"/resources/schedule-policies?state=Active", "state"},
                {"/resources/clusters?location=sandbox", "location"},
                {"/resources/clusters?labelSelector=a%3Db", "labelSelector"},
                {"/resources/backups?labelSelector=a%3D%3D%3Db", "labelSelector"},
                {"/resources/backups?limit=0", "limit"},
                {"/resources/backups?limit=many", "limit"},
                {"/resources/backups?continue=forged", "continue"},
                {"/resources/backups?sort=name", "sort"}}) {
            HttpResponse<String> answer = rest.get(ADMIN, bad[0]);
            assertThat(answer.statusCode()).as(bad[0]).isEqualTo(400);
            assertThat(RestClient.json(answer).path("field").asText()).as(bad[0]).isEqualTo(bad[1]);
        }
    }

    @Test
    void should_show_a_user_only_their_own_backups_in_lists_pages_and_questions() throws Exception {
        // when: dev lists, pages and asks about backups
        List<String> listed = names(rest.get(DEV, "/resources/backups?limit=1"));
        HttpResponse<String> named = rest.get(DEV, "/resources/backups?owner=admin");
        HttpResponse<String> selected = rest.get(DEV, "/resources/backups?labelSelector=team%3Dbilling");
        HttpResponse<String> deletability = rest.get(DEV, "/resources/backups/b-01/deletability");
        HttpResponse<String> ownDeletability = rest.get(DEV, "/resources/backups/dev-own/deletability");

        // then: their own only; a page of one is theirs, not cut short by hidden ones; another's backup does not exist for them
        assertThat(listed).containsExactly("dev-own");
        assertThat(RestClient.json(rest.get(DEV, "/resources/backups?limit=1")).has("continue")).isFalse();
        assertThat(names(named)).isEmpty();
        assertThat(names(selected)).isEmpty();
        assertThat(deletability.statusCode()).isEqualTo(404);
        assertThat(ownDeletability.statusCode()).isEqualTo(200);
        assertThat(RestClient.json(ownDeletability).path("deletable").asBoolean()).isTrue();
        assertThat(RestClient.json(ownDeletability).path("cluster").asText()).isEqualTo("sandbox-east");
        // and asking changed nothing: the dry run behind deletability committed no request and no command
        assertThat(names(rest.get(ADMIN, "/resources/backups?owner=dev"))).containsExactly("dev-own");
        assertThat(RestClient.json(rest.get(ADMIN, "/resources/backups/dev-own")).path("state").asText()).isEqualTo("Success");
    }

    @Test
    void should_show_a_user_only_their_own_changes_and_refuse_what_the_console_endpoints_cannot_answer() throws Exception {
        // when: dev and the admin ask what changed in the last hour, and who they are
        JsonNode devChanges = RestClient.json(rest.get(DEV, "/changes?since=60m&limit=500"));
        JsonNode adminChanges = RestClient.json(rest.get(ADMIN, "/changes?since=60m&limit=500"));

        // then: dev's own requests only; the admin's include the engine's and dev's
        assertThat(devChanges.findValuesAsText("actor")).isNotEmpty().containsOnly("dev");
        assertThat(adminChanges.findValuesAsText("actor")).contains("admin", "dev", "engine");
        assertThat(RestClient.json(rest.get(DEV, "/me")).path("admin").asBoolean()).isFalse();
        assertThat(rest.get("not-a-token", "/changes").statusCode()).isEqualTo(401);
        assertThat(rest.get("not-a-token", "/grid").statusCode()).isEqualTo(401);
        for (String[] bad : new String[][] {
                {"/changes?since=yesterday", "since"}, {"/changes?limit=0", "limit"}, {"/changes?actor=admin", "actor"},
                {"/grid?limit=500", "limit"}, {"/grid?offset=-1", "offset"}, {"/grid?state=Sleeping", "state"},
                {"/grid?connection=Broken", "connection"}}) {
            HttpResponse<String> answer = rest.get(DEV, bad[0]);
            assertThat(answer.statusCode()).as(bad[0]).isEqualTo(400);
            assertThat(RestClient.json(answer).path("field").asText()).as(bad[0]).isEqualTo(bad[1]);
        }
        // and the grid: the fleet, which every user may see, with eligibility from the rules
        JsonNode grid = RestClient.json(rest.get(DEV, "/grid?connection=Invalid"));
        assertThat(grid.path("clusters").findValuesAsText("name")).containsExactly("sandbox-west");
        assertThat(grid.at("/clusters/0/cells/sandbox/cause").asText()).isEqualTo("access key unknown to the endpoint at step list");
        assertThat(RestClient.json(rest.get(DEV, "/grid")).at("/clusters/0/cells/sandbox/eligible").asBoolean()).isTrue();
    }

    @Test
    void should_answer_a_locations_eligible_clusters_from_the_rules() throws Exception {
        JsonNode eligibility = RestClient.json(rest.get(DEV, "/resources/backup-locations/sandbox/eligible-clusters"));
        assertThat(eligibility.path("eligible").findValuesAsText("")).isEmpty();
        assertThat(eligibility.path("eligible").get(0).asText()).isEqualTo("sandbox-east");
        assertThat(eligibility.path("eligible").size()).isEqualTo(1);
        assertThat(eligibility.path("clusters").toString()).contains("access key unknown to the endpoint at step list");
        assertThat(rest.get(DEV, "/resources/backup-locations/nowhere/eligible-clusters").statusCode()).isEqualTo(404);
    }
}
