package dev.backupstate.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A caller's token goes to a leader over https, on loopback, or where the operator listed; nowhere else. */
class LeaderForwarderTest {

    @Test
    void should_send_a_token_on_only_to_a_leader_it_may_go_to() {
        LeaderForwarder forwarder = new LeaderForwarder(null, "me", List.of("http://10.1.2.3:8080"));

        assertThat(forwarder.mayForwardTo("http://127.0.0.1:8080")).isTrue();
        assertThat(forwarder.mayForwardTo("http://127.0.1.1:8080")).as("Debian's host name address").isTrue();
        assertThat(forwarder.mayForwardTo("http://localhost:8080")).isTrue();
        assertThat(forwarder.mayForwardTo("https://bse-1.example.org")).isTrue();
        assertThat(forwarder.mayForwardTo("http://10.1.2.3:8080/")).as("listed").isTrue();
        assertThat(forwarder.mayForwardTo("http://10.9.9.9:8080")).isFalse();
        assertThat(forwarder.mayForwardTo("http://127.0.0.1.evil.example:8080")).isFalse();
        assertThat(forwarder.mayForwardTo("ftp://127.0.0.1")).isFalse();
    }
}
