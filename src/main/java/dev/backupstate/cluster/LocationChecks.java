package dev.backupstate.cluster;

import dev.backupstate.model.BackupLocation;
import dev.backupstate.model.ConnectionState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Federated validation on a real mechanism (issue 11, item 3): Stork has no validation verdict, so
 * the engine runs the check on the cluster itself, as Stork would reach the bucket (issue 22): a
 * Kubernetes Job in Stork's own namespace under Stork's service account, with the AWS environment of
 * Stork's Deployment (the first link of Stork's credential chain), running the engine's own image with
 * {@code bse check-location --as stork}: Stork's chain (environment, the node's role, the shared file;
 * no web identity, which the pinned Stork does not read), its CreateBucket, then list, write, read and
 * delete a probe where Stork writes (the bucket's root, under Stork's admin namespace; Stork has no
 * prefix). The verdict is the Job's outcome and its pod's termination message: {@code Valid}, or
 * {@code Invalid: CAUSE}. Finished Jobs are deleted with their pods.
 */
public final class LocationChecks {

    /** The label Kubernetes puts on a Job's pods. */
    static final String JOB_NAME_LABEL = "job-name";
    public static final String LABEL_LOCATION = "backupstate.dev/location";
    /** On a Job that looks whether a deleted backup's folder is empty: its location. */
    public static final String LABEL_FOLDER = "backupstate.dev/folder-of";
    /** On a Job that writes a sync marker: the location synced. */
    public static final String LABEL_SYNC = "backupstate.dev/sync";
    public static final String ANNOTATION_REQUEST = "backupstate.dev/request";
    static final String CONTAINER = "check-location";

    private final String namespace;
    private final String adminNamespace;
    private final String image;
    private final String serviceAccount;
    private final Duration deadline;
    private final String storkDeployment;

    /** The engine image's user and group (docker/Dockerfile): the check runs as it. */
    static final long IMAGE_USER = 10001;

    /** True when {@code image} names its content (NAME@sha256:DIGEST): a tag can be moved to other code. */
    public static boolean pinned(String image) {
        return image.matches(".+@sha256:[0-9a-f]{64}");
    }

    /**
     * {@code namespace}: Stork's own (where its service account and Deployment are); {@code adminNamespace}:
     * Stork's admin namespace, the folder it writes backups under; {@code storkDeployment}: Stork's
     * Deployment there, whose container's AWS_* environment the check gets.
     */
    public LocationChecks(String namespace, String adminNamespace, String image, String serviceAccount, Duration deadline,
                          String storkDeployment) {
        this.namespace = namespace;
        this.adminNamespace = adminNamespace;
        this.image = image;
        this.serviceAccount = serviceAccount;
        this.deadline = deadline;
        this.storkDeployment = storkDeployment;
    }

    /**
     * The AWS_* variables of Stork's container, as its Deployment gives them (values or references to
     * Secrets, which the kubelet resolves in the check's pod as in Stork's): none when there is no such
     * Deployment, or no such variable (Stork then has the node's role or a shared file, as the check does).
     */
    List<io.fabric8.kubernetes.api.model.EnvVar> storkEnvironment(KubernetesClient client) {
        var deployment = client.apps().deployments().inNamespace(namespace).withName(storkDeployment).get();
        if (deployment == null || deployment.getSpec() == null || deployment.getSpec().getTemplate() == null) {
            return List.of();
        }
        var containers = deployment.getSpec().getTemplate().getSpec().getContainers();
        var stork = containers.stream().filter(c -> "stork".equals(c.getName())).findFirst()
                .or(() -> containers.stream().findFirst());
        return stork.map(c -> c.getEnv() == null ? List.<io.fabric8.kubernetes.api.model.EnvVar>of()
                : c.getEnv().stream().filter(env -> env.getName().startsWith("AWS_")).toList()).orElse(List.of());
    }

    /** What a check's pod ended with: its verdict on the location for that cluster. */
    public record Verdict(ConnectionState state, String cause) {
    }

    /** A DNS-1123 label for the check of one request, the same whenever it is asked again. */
    public static String jobName(String location, String cluster, String request) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((location + "|" + cluster + "|" + request).getBytes(StandardCharsets.UTF_8));
            return "bse-check-" + HexFormat.of().formatHex(digest).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }

    /** The Job that checks {@code location} from inside the cluster. */
    public Job job(BackupLocation location, String name, String request) {
        return job(location, name, request, List.of());
    }

    /** {@code environment}: Stork's AWS_* variables, given to the check as they are given to Stork. */
    public Job job(BackupLocation location, String name, String request, List<io.fabric8.kubernetes.api.model.EnvVar> environment) {
        return job(location, name, request, environment, List.of(), LABEL_LOCATION);
    }

    /**
     * The Job that checks {@code location} and then writes the sync marker {@code marker} where Stork
     * lists it ({@link SyncMarker}); labelled apart from the location's checks, whose newest is a verdict.
     */
    public Job markerJob(BackupLocation location, String marker, String request, List<io.fabric8.kubernetes.api.model.EnvVar> environment) {
        return job(location, marker, request, environment, List.of("--marker", marker, "--location", location.name()), LABEL_SYNC);
    }

    private Job job(BackupLocation location, String name, String request, List<io.fabric8.kubernetes.api.model.EnvVar> environment,
                    List<String> more, String label) {
        List<String> args = new ArrayList<>(List.of("check-location", "--endpoint", location.bucket().endpoint(),
                "--bucket", location.bucket().bucket(), "--region", location.region() == null ? "us-east-1" : location.region(),
                // where Stork writes: <admin namespace>/<backup>/<uid>/ at the bucket's root, whatever the location's prefix
                "--prefix", adminNamespace, "--as", "stork"));
        args.addAll(more);
        return new JobBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace)
                    .addToLabels(AgentContract.LABEL_MANAGED_BY, AgentContract.MANAGED_BY)
                    .addToLabels(label, location.name())
                    .addToAnnotations(ANNOTATION_REQUEST, request)
                .endMetadata()
                .withNewSpec()
                    .withBackoffLimit(0)
                    .withActiveDeadlineSeconds(deadline.toSeconds())
                    .withTtlSecondsAfterFinished(600)
                    .withNewTemplate()
                        .withNewMetadata().addToLabels(AgentContract.LABEL_MANAGED_BY, AgentContract.MANAGED_BY).endMetadata()
                        .withNewSpec()
                            .withRestartPolicy("Never")
                            .withServiceAccountName(serviceAccount)
                            // the check reaches the bucket with the account's workload identity (IRSA,
                            // Workload Identity), never the Kubernetes API: no API token is mounted
                            .withAutomountServiceAccountToken(false)
                            .withNewSecurityContext()
                                // the image's user (docker/Dockerfile), by number: a name cannot be checked as non-root
                                .withRunAsNonRoot(true).withRunAsUser(IMAGE_USER).withRunAsGroup(IMAGE_USER)
                                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                            .endSecurityContext()
                            .addNewVolume().withName("tmp").withNewEmptyDir().withSizeLimit(new io.fabric8.kubernetes.api.model.Quantity("64Mi"))
                                .endEmptyDir().endVolume()
                            .addNewContainer()
                                .withName(CONTAINER).withImage(image)
                                .withCommand("java", "-cp", "lib/*", "dev.backupstate.app.Bse")
                                .withArgs(args)
                                .withEnv(environment)
                                .withTerminationMessagePolicy("FallbackToLogsOnError")
                                .withNewSecurityContext()
                                    .withAllowPrivilegeEscalation(false)
                                    .withReadOnlyRootFilesystem(true)
                                    .withRunAsNonRoot(true)
                                    .withNewCapabilities().withDrop("ALL").endCapabilities()
                                .endSecurityContext()
                                .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
                            .endContainer()
                        .endSpec()
                    .endTemplate()
                .endSpec()
                .build();
    }

    /** Creates the check on the cluster (a second ask for the same request finds the first). */
    public void start(KubernetesClient client, BackupLocation location, String name, String request) {
        if (client.batch().v1().jobs().inNamespace(namespace).withName(name).get() == null) {
            client.batch().v1().jobs().inNamespace(namespace).resource(job(location, name, request, storkEnvironment(client))).create();
        }
    }

    /**
     * Creates the Job that checks, as Stork reaches the bucket, that a deleted backup's folder lists empty
     * ({@code --expect-empty}; a second ask for the same name finds the first).
     */
    public void startFolderCheck(KubernetesClient client, BackupLocation location, String name, String folder) {
        if (client.batch().v1().jobs().inNamespace(namespace).withName(name).get() == null) {
            client.batch().v1().jobs().inNamespace(namespace).resource(job(location, name, name, storkEnvironment(client),
                    List.of("--expect-empty", folder), LABEL_FOLDER)).create();
        }
    }

    /** Creates the Job that writes a sync's marker (a second ask for the same request finds the first). */
    public void startMarker(KubernetesClient client, BackupLocation location, String marker, String request) {
        if (client.batch().v1().jobs().inNamespace(namespace).withName(marker).get() == null) {
            client.batch().v1().jobs().inNamespace(namespace).resource(markerJob(location, marker, request, storkEnvironment(client))).create();
        }
    }

    /** The newest check of {@code location} among a cluster's check Jobs: after a restart the engine asks for that one. */
    public static Optional<String> latest(List<Job> jobs) {
        return jobs.stream()
                .max(java.util.Comparator.comparing(job -> String.valueOf(job.getMetadata().getCreationTimestamp())))
                .map(job -> job.getMetadata().getName());
    }

    /**
     * The verdict of a check Job once it finished, from the Job and its pods (the termination message of its
     * container); empty while it runs (or if it is gone).
     */
    public static Optional<Verdict> verdict(Job job, List<Pod> pods) {
        if (job == null || job.getStatus() == null) {
            return Optional.empty();
        }
        boolean succeeded = job.getStatus().getSucceeded() != null && job.getStatus().getSucceeded() > 0;
        boolean failed = job.getStatus().getFailed() != null && job.getStatus().getFailed() > 0 || deadlineExceeded(job);
        if (!succeeded && !failed) {
            return Optional.empty();
        }
        String message = terminationMessage(pods).orElse(null);
        if (succeeded && message != null && message.strip().equals("Valid")) {
            return Optional.of(new Verdict(ConnectionState.VALID, null));
        }
        if (message != null && message.strip().startsWith("Invalid: ")) {
            return Optional.of(new Verdict(ConnectionState.INVALID, message.strip().substring("Invalid: ".length())));
        }
        String why = deadlineExceeded(job) ? "the check did not finish within " + job.getSpec().getActiveDeadlineSeconds() + " s"
                : "the check ended without a verdict" + (message == null ? "" : ": " + message.strip());
        return Optional.of(new Verdict(ConnectionState.INVALID, why));
    }

    /** Whether the check Job ended (succeeded, failed, or past its deadline). */
    public static boolean finished(Job job) {
        return job != null && job.getStatus() != null && (job.getStatus().getSucceeded() != null && job.getStatus().getSucceeded() > 0
                || job.getStatus().getFailed() != null && job.getStatus().getFailed() > 0 || deadlineExceeded(job));
    }

    /** Whether one of these pods ended with the check's termination message. */
    public static boolean messaged(List<Pod> pods) {
        return terminationMessage(pods).isPresent();
    }

    /** The pods of a check Job, asked of the cluster (when its watch has not shown the ended one yet). */
    public List<Pod> pods(KubernetesClient client, String job) {
        return client.pods().inNamespace(namespace).withLabel(JOB_NAME_LABEL, job).list().getItems();
    }

    private static boolean deadlineExceeded(Job job) {
        List<JobCondition> conditions = job.getStatus().getConditions();
        return conditions != null && conditions.stream().anyMatch(c -> "Failed".equals(c.getType()) && "True".equals(c.getStatus())
                && "DeadlineExceeded".equals(c.getReason()));
    }

    private static Optional<String> terminationMessage(List<Pod> pods) {
        for (Pod pod : pods) {
            if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
                continue;
            }
            for (ContainerStatus status : pod.getStatus().getContainerStatuses()) {
                ContainerStateTerminated terminated = status.getState() == null ? null : status.getState().getTerminated();
                if (CONTAINER.equals(status.getName()) && terminated != null && terminated.getMessage() != null) {
                    return Optional.of(terminated.getMessage());
                }
            }
        }
        return Optional.empty();
    }

    /** A finished check goes, with its pods. */
    public void remove(KubernetesClient client, String name) {
        client.batch().v1().jobs().inNamespace(namespace).withName(name).withPropagationPolicy(
                io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND).delete();
        client.pods().inNamespace(namespace).withLabel(JOB_NAME_LABEL, name).delete();
    }
}
