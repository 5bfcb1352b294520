package dev.backupstate.sandbox;

import dev.backupstate.app.CheckLocation;
import dev.backupstate.cluster.AgentContract;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * A simulated kubelet and Job controller on one sandbox cluster, for the engine's location checks:
 * it runs each check Job's container in this JVM (the same {@code bse check-location} code, with the
 * cluster's simulated workload identity), then does what Kubernetes does when the pod ends: a pod
 * labelled {@code job-name} whose container is terminated with the termination message, and the
 * Job's status succeeded or failed with its Complete or Failed condition.
 */
public final class SandboxKubelet {

    private final SandboxCluster cluster;
    private final String namespace;
    private final AwsCredentialsProvider identity;

    /** {@code identity}: what the cluster's pods reach buckets as (the sandbox's bucket keys, or keys it refuses). */
    public SandboxKubelet(SandboxCluster cluster, String namespace, AwsCredentialsProvider identity) {
        this.cluster = cluster;
        this.namespace = namespace;
        this.identity = identity;
    }

    /** Runs every check Job that has not run yet. */
    public void work() {
        if (!cluster.isUp()) {
            return;
        }
        KubernetesClient client = cluster.client();
        for (Job job : client.batch().v1().jobs().inNamespace(namespace)
                .withLabel(AgentContract.LABEL_MANAGED_BY, AgentContract.MANAGED_BY).list().getItems()) {
            if (job.getStatus() == null || job.getStatus().getStartTime() == null) {
                List<String> args = job.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
                String verdict = CheckLocation.verdict(args.toArray(String[]::new), identity);
                finish(client, namespace, job.getMetadata().getName(), verdict.equals("Valid"), verdict);
            }
        }
    }

    /** What Kubernetes leaves when a check's pod ended: the pod with its termination message, the Job's status. */
    public static void finish(KubernetesClient client, String namespace, String job, boolean succeeded, String message) {
        Job made = client.batch().v1().jobs().inNamespace(namespace).withName(job).get();
        java.util.Map<String, String> labels = made == null || made.getSpec().getTemplate().getMetadata() == null
                || made.getSpec().getTemplate().getMetadata().getLabels() == null ? java.util.Map.of()
                : made.getSpec().getTemplate().getMetadata().getLabels();
        client.pods().inNamespace(namespace).resource(new PodBuilder()
                // as the Job controller makes it: the template's labels, and job-name
                .withNewMetadata().withName(job + "-run").withNamespace(namespace).addToLabels(labels).addToLabels("job-name", job).endMetadata()
                .withNewSpec().withRestartPolicy("Never").addNewContainer().withName("check-location").withImage("sandbox").endContainer().endSpec()
                .withNewStatus().withPhase(succeeded ? "Succeeded" : "Failed")
                    .addNewContainerStatus().withName("check-location").withNewState().withNewTerminated()
                        .withExitCode(succeeded ? 0 : 1).withMessage(message).withReason(succeeded ? "Completed" : "Error")
                    .endTerminated().endState().endContainerStatus()
                .endStatus().build()).createOr(existing -> existing.update());
        String now = java.time.Instant.now().toString();
        client.batch().v1().jobs().inNamespace(namespace).withName(job).editStatus(found -> {
            found.setStatus(new JobStatusBuilder().withStartTime(now).withCompletionTime(succeeded ? now : null)
                    .withSucceeded(succeeded ? 1 : 0).withFailed(succeeded ? 0 : 1)
                    .withConditions(new JobConditionBuilder().withType(succeeded ? "Complete" : "Failed").withStatus("True")
                            .withReason(succeeded ? null : "BackoffLimitExceeded").build())
                    .build());
            return found;
        });
    }
}
