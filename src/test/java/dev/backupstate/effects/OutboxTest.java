package dev.backupstate.effects;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backupstate.model.Command;
import dev.backupstate.model.CommandType;
import dev.backupstate.model.ResourceKind;
import dev.backupstate.model.ResourceRef;
import dev.backupstate.store.PendingCommand;
import org.junit.jupiter.api.Test;

class OutboxTest {

    @Test
    void should_describe_a_command_without_its_kubeconfig_or_credentials() {
        PendingCommand probe = new PendingCommand(7, "add-c1", Command.of(CommandType.PROBE_CLUSTER,
                ResourceRef.of(ResourceKind.CLUSTER, "c1"), "kubeconfig", "apiVersion: v1\nusers: [token: abc]",
                "credentials", "secret/s3", "location", "l1"));

        String description = Outbox.describe(probe);

        assertThat(description).isEqualTo(
                "PROBE_CLUSTER clusters/c1 kubeconfig=(not logged) credentials=(not logged) location=l1 (request add-c1)");
    }

    @Test
    void should_keep_only_harmless_arguments_of_a_command_once_carried_out() {
        PendingCommand probe = new PendingCommand(7, "add-c1", Command.of(CommandType.PROBE_CLUSTER,
                ResourceRef.of(ResourceKind.CLUSTER, "c1"), "kubeconfig", "apiVersion: v1", "location", "l1"));
        PendingCommand run = new PendingCommand(8, "b1", Command.of(CommandType.RUN_BACKUP,
                ResourceRef.of(ResourceKind.BACKUP, "b1"), "cluster", "c1"));

        assertThat(Outbox.keptArgs(probe)).containsExactly(
                java.util.Map.entry("kubeconfig", "(removed once carried out)"), java.util.Map.entry("location", "l1"));
        assertThat(Outbox.keptArgs(run)).as("nothing to remove: the arguments stay as they are").isNull();
    }

    @Test
    void should_back_off_from_one_second_doubling_to_a_minute() {
        assertThat(java.util.stream.IntStream.rangeClosed(1, 9).mapToObj(Outbox::backOff).map(java.time.Duration::toSeconds))
                .containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 60L, 60L, 60L);
        assertThat(Outbox.backOff(1000)).hasSeconds(60);
    }
}
