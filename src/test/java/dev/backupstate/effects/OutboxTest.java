package dev.backupstate.effects;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backupstate.model.Command;
import dev.backupstate.store.PendingCommand;
import org.junit.jupiter.api.Test;

class OutboxTest {

    @Test
    void should_describe_a_command_without_its_kubeconfig() {
        PendingCommand probe = new PendingCommand(7, "add-c1", new Command.ProbeCluster("c1", "apiVersion: v1\nusers: [token: abc]"));

        String description = Outbox.describe(probe);

        assertThat(description).isEqualTo("PROBE_CLUSTER clusters/c1 kubeconfig=(not shown) (request add-c1)");
    }

    @Test
    void should_keep_a_command_without_its_kubeconfig_once_carried_out() {
        PendingCommand probe = new PendingCommand(7, "add-c1", new Command.ProbeCluster("c1", "apiVersion: v1"));
        PendingCommand again = new PendingCommand(8, "c1-again", new Command.ProbeCluster("c1"));

        assertThat(Outbox.kept(probe)).isEqualTo(new Command.ProbeCluster("c1", Command.REMOVED));
        assertThat(Outbox.kept(again)).as("nothing to remove: the command stays as it is").isNull();
    }

    @Test
    void should_back_off_from_one_second_doubling_to_a_minute() {
        Outbox outbox = new Outbox(null, 10);
        assertThat(java.util.stream.IntStream.rangeClosed(1, 9).mapToObj(outbox::backOff).map(java.time.Duration::toSeconds))
                .containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 60L, 60L, 60L);
        assertThat(outbox.backOff(1000)).hasSeconds(60);
        // and up to the longest back-off set
        Outbox quick = new Outbox(null, 10, java.time.Clock.systemUTC(), java.time.Duration.ofSeconds(5));
        assertThat(java.util.stream.IntStream.rangeClosed(1, 5).mapToObj(quick::backOff).map(java.time.Duration::toSeconds))
                .containsExactly(1L, 2L, 4L, 5L, 5L);
    }
}
