package dev.backupstate.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The one masking function: what is named like a secret shows only as a reference. */
class SecretsTest {

    @Test
    void should_mask_an_inline_secret_and_show_a_reference_or_an_ordinary_value() {
        assertThat(Secrets.mask("kubeconfig", "apiVersion: v1\nusers: [{user: {token: abc}}]")).isEqualTo(Secrets.MASK);
        assertThat(Secrets.mask("secretAccessKey", "wJalrXUtnFEMI")).isEqualTo(Secrets.MASK);
        assertThat(Secrets.mask("kubeconfig", "secret:kube-system/east")).isEqualTo("secret:kube-system/east");
        assertThat(Secrets.mask("credentials", "env:BUCKET_KEYS")).isEqualTo("env:BUCKET_KEYS");
        assertThat(Secrets.mask("cluster", "east")).isEqualTo("east");
        assertThat(Secrets.mask("kubeconfig", null)).isNull();
    }

    @Test
    void should_mask_every_command_the_same_way_in_words() {
        Command probe = new Command.ProbeCluster("east", "clusters: []\nusers: [{name: x, user: {token: 8929}}]");

        assertThat(probe.toString()).isEqualTo("PROBE_CLUSTER clusters/east kubeconfig=(not shown)");
        assertThat(Command.text(probe)).doesNotContain("8929");
    }
}
