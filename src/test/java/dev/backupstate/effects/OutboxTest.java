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
}
