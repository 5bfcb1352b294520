package dev.backupstate.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backupstate.model.BackupLocation;
import dev.backupstate.model.BackupLocationState;
import dev.backupstate.model.BucketKey;
import dev.backupstate.model.LocationType;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Federated check Job asks for no more than it needs: no root, no writes outside /tmp, no capabilities, no API token. */
class LocationChecksTest {

    @Test
    void should_run_the_check_restricted_and_without_a_kubernetes_token() {
        BackupLocation location = new BackupLocation("l1", BackupLocationState.VALIDATION_IN_PROGRESS, LocationType.S3,
                new BucketKey("https://s3.example", "backups", "team-a"), "eu-1", null, "admin", null);

        Job job = new LocationChecks("portworx", "kube-system", "backupstate/engine@sha256:" + "a".repeat(64), "stork-account",
                Duration.ofMinutes(5), "stork").job(location, "bse-check-l1-x", "r1", List.of(new EnvVarBuilder().withName("AWS_ACCESS_KEY_ID")
                .withNewValueFrom().withNewSecretKeyRef("key", "stork-aws", false).endValueFrom().build()));

        PodSpec pod = job.getSpec().getTemplate().getSpec();
        Container check = pod.getContainers().get(0);
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).as("a number, which the kubelet can check").isEqualTo(10001L);
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(check.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(check.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(check.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(check.getVolumeMounts()).singleElement().satisfies(mount -> assertThat(mount.getMountPath()).isEqualTo("/tmp"));
        assertThat(LocationChecks.pinned(check.getImage())).isTrue();
        // and it reaches the bucket as Stork does: Stork's namespace, account and environment, Stork's root and chain
        assertThat(job.getMetadata().getNamespace()).isEqualTo("portworx");
        assertThat(pod.getServiceAccountName()).isEqualTo("stork-account");
        assertThat(check.getEnv()).singleElement().satisfies(env -> assertThat(env.getValueFrom().getSecretKeyRef().getName()).isEqualTo("stork-aws"));
        assertThat(String.join(" ", check.getArgs())).contains("--prefix kube-system", "--as stork").doesNotContain("team-a");
        assertThat(LocationChecks.pinned("backupstate/engine:0.1.0")).isFalse();
    }
}
