package dev.backupstate.testing;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kubernetes cluster for the integration tests, as far as one runs here offline: etcd and the
 * real kube-apiserver v1.20.2 started by fabric8's kube-api-test in offline mode, and the real Stork
 * controller (libopenstorage/stork at the commit {@code AgentContract.STORK_SOURCE} pins) running
 * against it as the {@code stork-account} service account with the RBAC Stork's own spec gives it
 * (specs/stork-deployment.yaml). The engine reaches it with a token of its own service account,
 * bound to the role the README documents ({@code docker/cluster-rbac.yaml}).
 *
 * <p>The binaries come from {@code BSE_K8S_DIR} (default {@code ~/.cache/bse-k8s}), where
 * {@code .ci/k8s} unpacks them. A missing one fails the test: a real-cluster test is never skipped.
 *
 * <p>What a bare API server lacks, and who plays it: there is no kube-controller-manager, scheduler
 * or kubelet. Stork runs as a process of the test (not a Pod), in its own mount namespace (a fake
 * in-cluster service account under /run, as the kubelet would mount it) and network namespace (its
 * metrics listener is fixed at :8080); socat relays the API server's and the S3 stores' loopback ports
 * into it. Jobs never run here: a test that needs a Job's outcome writes it itself, named as such.
 */
public final class RealCluster implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RealCluster.class);

    public static final String VERSION = "1.20.2";
    public static final String ADMIN_NAMESPACE = "kube-system";
    public static final String STORK_ACCOUNT = "stork-account";
    public static final String ENGINE_ACCOUNT = "backup-state-engine";
    public static final String ENGINE_NAMESPACE = "backup-state-engine";

    private final String name;
    private final Path run;
    private final KubeAPIServer server;
    private final KubernetesClient admin;
    private final int apiPort;
    private final String caPem;
    private final List<Process> relays = new ArrayList<>();
    private Process stork;
    private java.util.concurrent.ScheduledExecutorService jobs;

    private RealCluster(String name, Path run, KubeAPIServer server, KubernetesClient admin, int apiPort, String caPem) {
        this.name = name;
        this.run = run;
        this.server = server;
        this.admin = admin;
        this.apiPort = apiPort;
        this.caPem = caPem;
    }

    /** Where the binaries are: {@code BSE_K8S_DIR}, else {@code ~/.cache/bse-k8s} (unpack.sh's default). */
    public static Path binaries() {
        String configured = System.getenv("BSE_K8S_DIR");
        Path dir = configured == null || configured.isBlank()
                ? Path.of(System.getProperty("user.home"), ".cache", "bse-k8s") : Path.of(configured);
        for (Path needed : List.of(dir.resolve("k8s/" + VERSION + "-linux-amd64/kube-apiserver"),
                dir.resolve("k8s/" + VERSION + "-linux-amd64/etcd"), dir.resolve("bin/stork"))) {
            if (!Files.isExecutable(needed)) {
                throw new IllegalStateException("the real-cluster tests need " + needed + ": run .ci/k8s first "
                        + "(it unpacks the kube-apiserver and Stork binaries and installs etcd and socat), or set BSE_K8S_DIR");
            }
        }
        for (String command : List.of("socat", "unshare", "ip")) {
            if (!onPath(command)) {
                throw new IllegalStateException("the real-cluster tests need `" + command + "` on the PATH: run .ci/k8s first");
            }
        }
        return dir;
    }

    /** etcd and kube-apiserver up, namespaces and service accounts in place; Stork not yet started. */
    public static RealCluster start(String name, Path work) throws IOException {
        Path dir = binaries();
        Path run = Files.createDirectories(work.resolve("cluster-" + name));
        long t0 = System.nanoTime();
        KubeAPIServer server = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
                .withTestDir(dir.toString()).withOfflineMode(true).withApiServerVersion(VERSION)
                .withUpdateKubeConfig(false).withStartupTimeout(120_000).build());
        server.start();
        String kubeconfig = server.getKubeConfigYaml();
        Matcher port = Pattern.compile("https://127\\.0\\.0\\.1:(\\d+)").matcher(kubeconfig);
        if (!port.find()) {
            server.stop();
            throw new IllegalStateException("kube-api-test gave no API server address: " + kubeconfig);
        }
        KubernetesClient admin = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig)).build();
        String caPem = Files.readString(dir.resolve("apiserver.crt"));
        RealCluster cluster = new RealCluster(name, run, server, admin, Integer.parseInt(port.group(1)), caPem);
        try {
            cluster.applyResource("realk8s/stork-rbac.yaml");
            cluster.applyFile(Path.of("docker/cluster-rbac.yaml"));
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        LOG.info("real cluster {} up on 127.0.0.1:{} in {} ms", name, cluster.apiPort, (System.nanoTime() - t0) / 1_000_000);
        return cluster;
    }

    public String name() {
        return name;
    }

    /** A kubeconfig of the cluster's admin (client certificate in system:masters, files under BSE_K8S_DIR). */
    public String adminKubeconfig() {
        return server.getKubeConfigYaml();
    }

    /** The cluster's admin (system:masters): what the test reads and plays with. */
    public KubernetesClient admin() {
        return admin;
    }

    public int apiPort() {
        return apiPort;
    }

    /** A namespace with the given labels. */
    public void namespace(String namespace) {
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
                .createOr(existing -> existing.update());
    }

    /**
     * A kubeconfig for the engine, written out (CA and a token of the engine's service account, no file
     * references): what an operator gives {@code AddCluster}.
     */
    public String engineKubeconfig() {
        String token = token(ENGINE_NAMESPACE, ENGINE_ACCOUNT);
        return "apiVersion: v1\nkind: Config\nclusters:\n- name: " + name + "\n  cluster:\n    server: https://127.0.0.1:" + apiPort
                + "\n    certificate-authority-data: " + Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.UTF_8))
                + "\nusers:\n- name: engine\n  user:\n    token: " + token
                + "\ncontexts:\n- name: " + name + "\n  context: {cluster: " + name + ", user: engine}\ncurrent-context: " + name + "\n";
    }

    /** A bound token of a service account (TokenRequest: the API server signs it; no token controller needed). */
    public String token(String namespace, String account) {
        return admin.serviceAccounts().inNamespace(namespace).withName(account)
                .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(24L * 3600).endSpec().build())
                .getStatus().getToken();
    }

    /**
     * The real Stork controller, as the {@code stork-account} service account, with {@code s3Ports}
     * (the loopback ports of the S3 stores its BackupLocations name) reachable from its network namespace.
     * Waits until it has registered its CRDs and taken its Lease.
     */
    public void startStork(int... s3Ports) throws IOException {
        startStork(Map.of(), s3Ports);
    }

    /**
     * As {@link #startStork(int...)}, with {@code environment} in Stork's process: what a Deployment's
     * env would give it, such as AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, which Stork's credential
     * chain reads first for a BackupLocation without keys (libopenstorage/secrets aws/credentials).
     */
    public void startStork(Map<String, String> environment, int... s3Ports) throws IOException {
        Path dir = binaries();
        Path sockets = Files.createDirectories(run.resolve("sock"));
        Path secrets = Files.createDirectories(run.resolve("serviceaccount"));
        Files.writeString(secrets.resolve("ca.crt"), caPem);
        Files.writeString(secrets.resolve("token"), token(ADMIN_NAMESPACE, STORK_ACCOUNT));
        Files.writeString(secrets.resolve("namespace"), ADMIN_NAMESPACE);
        List<Integer> ports = new ArrayList<>();
        ports.add(apiPort);
        for (int s3 : s3Ports) {
            ports.add(s3);
        }
        StringBuilder inner = new StringBuilder("set -e\nip link set lo up\n");
        for (int port : ports) {
            Path socket = sockets.resolve(port + ".sock");
            Files.deleteIfExists(socket);
            relays.add(new ProcessBuilder("socat", "UNIX-LISTEN:" + socket + ",fork", "TCP:127.0.0.1:" + port)
                    .redirectErrorStream(true).redirectOutput(run.resolve("socat-" + port + ".log").toFile()).start());
            inner.append("socat TCP-LISTEN:").append(port).append(",bind=127.0.0.1,fork,reuseaddr UNIX-CONNECT:").append(socket)
                    .append(" &\n");
        }
        // the kubelet's service account mount, in this mount namespace only
        inner.append("mount -t tmpfs tmpfs /run\nmkdir -p /run/secrets/kubernetes.io/serviceaccount /run/stork\n")
                .append("cp ").append(secrets).append("/* /run/secrets/kubernetes.io/serviceaccount/\n")
                .append("export KUBERNETES_SERVICE_HOST=127.0.0.1 KUBERNETES_SERVICE_PORT=").append(apiPort).append('\n');
        environment.forEach((key, value) -> inner.append("export ").append(key).append("='").append(value).append("'\n"));
        inner
                .append("cd /run/stork\nexec ").append(dir.resolve("bin/stork"))
                .append(" --webhook-controller=false --extender=false --health-monitor=false\n");
        Path script = run.resolve("stork.sh");
        Files.writeString(script, inner.toString());
        // wait for the relays' sockets before Stork's side connects to them
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> ports.stream().allMatch(port -> Files.exists(sockets.resolve(port + ".sock"))));
        java.time.Instant started = java.time.Instant.now().minusSeconds(1);
        stork = new ProcessBuilder("unshare", "-m", "-n", "bash", script.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(storkLog().toFile())).start();
        long t0 = System.nanoTime();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!stork.isAlive()) {
                throw new IllegalStateException("Stork on " + name + " ended: " + tail());
            }
            return storkLeads(started);
        });
        LOG.info("Stork on {} leads after {} ms", name, (System.nanoTime() - t0) / 1_000_000);
    }

    /** Stork registered its CRDs (the three the engine uses) and holds its Lease, renewed since it started (a Stork killed before held it too, under the same identity: the host name, so the acquire time stays). */
    private boolean storkLeads(java.time.Instant started) {
        for (String crd : List.of("applicationbackups", "applicationrestores", "backuplocations")) {
            var found = admin.apiextensions().v1().customResourceDefinitions().withName(crd + ".stork.libopenstorage.org").get();
            if (found == null || found.getStatus() == null || found.getStatus().getConditions() == null
                    || found.getStatus().getConditions().stream().noneMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()))) {
                return false;
            }
        }
        var lease = admin.leases().inNamespace(ADMIN_NAMESPACE).withName("stork").get();
        return lease != null && lease.getSpec() != null && lease.getSpec().getHolderIdentity() != null
                && lease.getSpec().getRenewTime() != null && lease.getSpec().getRenewTime().toInstant().isAfter(started);
    }

    public Path storkLog() {
        return run.resolve("stork.log");
    }

    /** The end of Stork's log, for a failure message. */
    public String tail() {
        try {
            List<String> lines = Files.readAllLines(storkLog());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /**
     * Stork's Deployment object as an installer leaves it (no controller runs it here: Stork is a process
     * of the test), its container's {@code environment} given from a Secret {@code stork-aws}: what the
     * engine's check Job copies, and what the kubelet (here: {@link #playJobs()}) resolves in the check's pod.
     */
    public void deployStork(Map<String, String> environment) {
        admin.secrets().inNamespace(ADMIN_NAMESPACE).resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata().withName("stork-aws").withNamespace(ADMIN_NAMESPACE).endMetadata()
                .withStringData(environment).build()).createOr(existing -> existing.update());
        List<io.fabric8.kubernetes.api.model.EnvVar> env = environment.keySet().stream().sorted()
                .map(key -> new io.fabric8.kubernetes.api.model.EnvVarBuilder().withName(key).withNewValueFrom()
                        .withNewSecretKeyRef(key, "stork-aws", false).endValueFrom().build()).toList();
        admin.apps().deployments().inNamespace(ADMIN_NAMESPACE).resource(new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder()
                .withNewMetadata().withName("stork").withNamespace(ADMIN_NAMESPACE).endMetadata()
                .withNewSpec().withNewSelector().addToMatchLabels("name", "stork").endSelector()
                    .withNewTemplate().withNewMetadata().addToLabels("name", "stork").endMetadata()
                    .withNewSpec().withServiceAccountName(STORK_ACCOUNT)
                        .addNewContainer().withName("stork").withImage("openstorage/stork:9dc3204").withEnv(env).endContainer()
                    .endSpec().endTemplate()
                .endSpec().build()).createOr(existing -> existing.update());
    }

    /**
     * Plays the Job controller and the kubelet for the engine's check Jobs, which a bare API server never
     * runs: each new Job's container arguments are run through the same {@code bse check-location} code
     * the image runs, with the credentials the pod would have: its AWS_* environment resolved as the
     * kubelet resolves it (values, Secret references). Without keys there, Stork's chain would go on to
     * the node's EC2 role and a shared file, neither of which exists here: the check then finds none.
     * Then what Kubernetes leaves is written: a Pod labelled {@code job-name} whose container terminated
     * with the verdict as its message, and the Job's status and condition.
     */
    public void playJobs() {
        jobs = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        jobs.scheduleWithFixedDelay(() -> {
            try {
                for (var job : admin.batch().v1().jobs().inAnyNamespace().list().getItems()) {
                    if (job.getStatus() == null || job.getStatus().getStartTime() == null) {
                        var container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
                        String verdict = dev.backupstate.app.CheckLocation.verdict(container.getArgs().toArray(String[]::new),
                                podCredentials(job.getMetadata().getNamespace(), container.getEnv()));
                        ranJob(job, verdict.equals("Valid"), verdict);
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn("playing the Job controller on {}: {}", name, e.getMessage());
            }
        }, 200, 200, TimeUnit.MILLISECONDS);
    }

    private software.amazon.awssdk.auth.credentials.AwsCredentialsProvider podCredentials(String namespace,
                                                                                        List<io.fabric8.kubernetes.api.model.EnvVar> env) {
        Map<String, String> resolved = new java.util.HashMap<>();
        for (var variable : env == null ? List.<io.fabric8.kubernetes.api.model.EnvVar>of() : env) {
            if (variable.getValue() != null) {
                resolved.put(variable.getName(), variable.getValue());
            } else if (variable.getValueFrom() != null && variable.getValueFrom().getSecretKeyRef() != null) {
                var ref = variable.getValueFrom().getSecretKeyRef();
                var secret = admin.secrets().inNamespace(namespace).withName(ref.getName()).get();
                String value = secret == null || secret.getData() == null ? null : secret.getData().get(ref.getKey());
                if (value != null) {
                    resolved.put(variable.getName(), new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8));
                }
            }
        }
        String id = resolved.get("AWS_ACCESS_KEY_ID");
        String secret = resolved.get("AWS_SECRET_ACCESS_KEY");
        if (id != null && secret != null) {
            return software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                    software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(id, secret));
        }
        return () -> {
            throw software.amazon.awssdk.core.exception.SdkClientException.create("Unable to load credentials from any of the "
                    + "providers in the chain: no AWS_ACCESS_KEY_ID in the environment, no EC2 instance role, no shared credentials file");
        };
    }

    private void ranJob(io.fabric8.kubernetes.api.model.batch.v1.Job job, boolean succeeded, String message) {
        String namespace = job.getMetadata().getNamespace();
        String jobName = job.getMetadata().getName();
        String now = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        var template = job.getSpec().getTemplate().getSpec();
        var pod = new io.fabric8.kubernetes.api.model.PodBuilder()
                // as the Job controller makes it: the template's labels, and job-name
                .withNewMetadata().withName(jobName + "-run").withNamespace(namespace)
                    .addToLabels(job.getSpec().getTemplate().getMetadata() == null ? Map.of()
                            : java.util.Objects.requireNonNullElse(job.getSpec().getTemplate().getMetadata().getLabels(), Map.of()))
                    .addToLabels("job-name", jobName).endMetadata()
                .withNewSpec().withRestartPolicy("Never").withServiceAccountName(template.getServiceAccountName())
                    .withAutomountServiceAccountToken(false)
                    .addNewContainer().withName(template.getContainers().get(0).getName())
                    .withImage(template.getContainers().get(0).getImage()).endContainer().endSpec()
                .build();
        var pods = admin.pods().inNamespace(namespace);
        if (pods.withName(pod.getMetadata().getName()).get() == null) {
            pods.resource(pod).create();
        }
        pods.withName(pod.getMetadata().getName()).editStatus(found -> new io.fabric8.kubernetes.api.model.PodBuilder(found)
                .withNewStatus().withPhase(succeeded ? "Succeeded" : "Failed")
                    .addNewContainerStatus().withName(template.getContainers().get(0).getName())
                        .withImage(template.getContainers().get(0).getImage()).withImageID("").withReady(false).withRestartCount(0)
                        .withNewState().withNewTerminated().withExitCode(succeeded ? 0 : 1).withMessage(message)
                        .withReason(succeeded ? "Completed" : "Error").withStartedAt(now).withFinishedAt(now)
                    .endTerminated().endState().endContainerStatus()
                .endStatus().build());
        admin.batch().v1().jobs().inNamespace(namespace).withName(jobName).editStatus(found -> {
            found.setStatus(new io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder().withStartTime(now)
                    .withCompletionTime(succeeded ? now : null).withSucceeded(succeeded ? 1 : null).withFailed(succeeded ? null : 1)
                    .withConditions(new io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder()
                            .withType(succeeded ? "Complete" : "Failed").withStatus("True").withLastProbeTime(now)
                            .withLastTransitionTime(now).withReason(succeeded ? null : "BackoffLimitExceeded").build())
                    .build());
            return found;
        });
        LOG.info("check Job {} on {} played: {}", jobName, name, message);
    }

    /** Stork killed (SIGKILL), with the relays inside its network namespace. */
    public void killStork() {
        if (stork != null) {
            stork.descendants().forEach(ProcessHandle::destroyForcibly);
            stork.destroyForcibly();
            try {
                stork.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stork = null;
        }
        for (Process relay : relays) {
            relay.destroyForcibly();
        }
        relays.clear();
    }

    private void applyResource(String resource) {
        try (InputStream in = RealCluster.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no test resource " + resource);
            }
            apply(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void applyFile(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            apply(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void apply(InputStream in) {
        for (HasMetadata item : admin.load(in).items()) {
            admin.resource(item).createOr(existing -> existing.update());
        }
    }

    @Override
    public void close() {
        if (jobs != null) {
            jobs.shutdownNow();
        }
        killStork();
        admin.close();
        server.stop();
    }

    private static boolean onPath(String command) {
        for (String entry : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, command))) {
                return true;
            }
        }
        return false;
    }
}
