package dev.backupstate.app;

import dev.backupstate.bucket.BucketCredentials;
import dev.backupstate.bucket.BucketEffects;
import dev.backupstate.bucket.BucketLeases;
import dev.backupstate.bucket.BucketPolls;
import dev.backupstate.bucket.Buckets;
import dev.backupstate.effects.Observations;
import dev.backupstate.effects.Outbox;
import dev.backupstate.inbox.Broker;
import dev.backupstate.inbox.BrokerInbox;
import dev.backupstate.inbox.DocumentIntake;
import dev.backupstate.inbox.DocumentReader;
import dev.backupstate.inbox.InboxFolders;
import dev.backupstate.inbox.FileInbox;
import dev.backupstate.inbox.RestApi;
import dev.backupstate.inbox.Tokens;
import dev.backupstate.sandbox.Sandbox;
import dev.backupstate.schedule.ScheduleTriggers;
import dev.backupstate.sandbox.SandboxApi;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import dev.backupstate.observe.EngineHealthCheck;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.support.LifecycleStrategySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the engine: the runtime (database, rules, loop) from config/application.properties, and the
 * Camel routes of routes/ that feed it. {@code -Dbse.config=FILE} names another configuration.
 */
public final class Main {

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    /** Runs until stopped (Ctrl-C, SIGTERM); the exit code says whether it started and stopped cleanly. */
    public static int run(String[] args) {
        try {
            return camel(Path.of(System.getProperty("bse.config", "config/application.properties")), Map.of()).run(args);
        } catch (Exception e) {
            LOG.error("the engine did not start: {}", e.getMessage(), e);
            return 1;
        }
    }

    public static void main(String[] args) {
        // exit explicitly: a failed start must not leave the process waiting on some library's threads
        System.exit(run(args));
    }

    /** A Camel Main ready to start, with the runtime built and bound; it closes the runtime when it stops. */
    public static org.apache.camel.main.Main camel(Path config, Map<String, String> overrides) {
        Settings settings = Settings.load(config, overrides);
        EngineRuntime runtime = new EngineRuntime(settings, Clock.systemUTC());
        org.apache.camel.main.Main camel = new org.apache.camel.main.Main();
        camel.setPropertyPlaceholderLocations("file:" + config);
        settings.all().forEach(camel::addOverrideProperty);
        camel.bind("engineRuntime", runtime);
        Tokens tokens = new Tokens(settings.get("bse.tokens"));
        InboxFolders.prepare(Path.of(settings.get("bse.inbox.directory")), Path.of(settings.get("bse.outbox.directory")),
                runtime.users().keySet());
        Broker broker;
        try {
            broker = broker(settings, tokens, new dev.backupstate.inbox.ReadAccess(runtime.loop().catalog())::actor);
        } catch (RuntimeException e) {
            runtime.close();
            throw e;
        }
        camel.bind("brokerConnectionFactory", broker.connectionFactory());
        // a user set Inactive or given another role keeps no broker connection opened under the old rights
        runtime.loop().listen((envelope, outcome, repeated) -> {
            if (!repeated && outcome.accepted() && envelope.event() instanceof dev.backupstate.model.Request.SetUserState change) {
                broker.disconnect(change.user());
            }
        });
        ClusterSide clusters = new ClusterSide(settings, runtime, Clock.systemUTC());
        DocumentIntake intake = new DocumentIntake(runtime.loop(), runtime.metrics(), Clock.systemUTC(),
                new DocumentReader(Integer.parseInt(settings.get("bse.documents.max-bytes")),
                        Integer.parseInt(settings.get("bse.documents.max-depth"))), clusters.clients().kubeconfigs().policy());
        camel.bind("fileInbox", new FileInbox(intake));
        camel.bind("brokerInbox", new BrokerInbox(intake));
        camel.bind("deadLetters", new dev.backupstate.inbox.DeadLetters());
        Observations observations = new Observations(runtime.loop(), Clock.systemUTC());
        camel.bind("observations", observations);
        camel.bind("clusterEffects", clusters.effects());
        camel.bind("clusterProbes", clusters.probes());
        camel.bind("progressFollower", clusters.follower());
        camel.bind("agentReports", clusters.reports());
        camel.bind("discovery", clusters.discovery());
        camel.bind("virtualMachines", clusters.virtualMachines());
        Buckets buckets = new Buckets(clusters.bucketCredentials(),
                Duration.ofMillis(Long.parseLong(settings.get("bse.buckets.timeout-millis"))));
        dev.backupstate.bucket.BucketGuard bucketGuard = new dev.backupstate.bucket.BucketGuard();
        camel.bind("bucketEffects", new BucketEffects(buckets, runtime.loop().catalog(), runtime.mode(), observations::report,
                settings.get("bse.clusters.admin-namespace"), bucketGuard));
        // a lease holder per process: two engines on one database never sync one bucket folder at once
        BucketLeases leases = new BucketLeases(runtime.database(), Clock.systemUTC(),
                settings.get("camel.main.name") + "-" + java.util.UUID.randomUUID(),
                Duration.ofSeconds(Long.parseLong(settings.get("bse.buckets.sync-lease-seconds"))));
        camel.bind("quartz", QuartzSetup.component(runtime.database(), settings.get("bse.schedules.instance-id"),
                Integer.parseInt(settings.get("bse.schedules.threads"))));
        ScheduleTriggers scheduleTriggers = new ScheduleTriggers(runtime.loop().catalog(), Clock.systemUTC(),
                Long.parseLong(settings.get("bse.schedules.interval-minute-millis")));
        camel.bind("scheduleTriggers", scheduleTriggers);
        camel.bind("bucketPolls", new BucketPolls(buckets, leases, runtime.loop().catalog(), runtime.mode(),
                settings.get("bse.clusters.admin-namespace"), bucketGuard, observations::report));
        camel.bind("outbox", new Outbox(runtime.loop().store(), Integer.parseInt(settings.get("bse.outbox.batch")),
                java.time.Clock.systemUTC(), java.time.Duration.ofMillis(Long.parseLong(settings.get("bse.outbox.max-backoff-millis")))));
        camel.bind("domainMetrics", runtime.metrics());
        // camel-micrometer-prometheus takes the registry bound under this name: Camel's metrics and ours together
        camel.bind("metricsRegistry", runtime.metrics().registry());
        camel.bind("storeHealth", new EngineHealthCheck(runtime.database()));
        camel.bind("usersHealth", new dev.backupstate.observe.UsersHealthCheck(runtime.loop().catalog(), runtime.users()));
        RestApi restApi = new RestApi(runtime.loop(), intake, tokens, runtime.mode(), runtime.rules(),
                new dev.backupstate.inbox.ResourceDetails(runtime.loop(), runtime.rules(), runtime.mode(),
                        scheduleTriggers::nextFireTimes, Clock.systemUTC()));
        restApi.limit(new dev.backupstate.inbox.RateLimits(Double.parseDouble(settings.get("bse.limits.requests-per-second")),
                Double.parseDouble(settings.get("bse.limits.dry-runs-per-second")), Clock.systemUTC(),
                kind -> runtime.metrics().limited(kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'))));
        camel.bind("rulesHealth", new dev.backupstate.observe.RulesHealthCheck(runtime.rules()));
        dev.backupstate.notify.Notifier notifier = notifier(settings, runtime);
        camel.bind("notifier", notifier);
        camel.bind("notificationsHealth", new dev.backupstate.observe.NotificationsHealthCheck(notifier,
                Integer.parseInt(settings.get("bse.notify.failing-after"))));
        camel.bind("overdueSchedules", new dev.backupstate.notify.OverdueSchedules(runtime.loop().catalog(), notifier.store(),
                Clock.systemUTC()));
        camel.bind("restApi", restApi);
        camel.bind("openApiDocument", new dev.backupstate.inbox.OpenApiDocument());
        camel.bind("consoleAssets", new dev.backupstate.inbox.ConsoleAssets());
        Sandbox sandbox;
        try {
            sandbox = sandbox(settings, runtime, clusters, observations);
        } catch (Exception e) {
            broker.close();
            clusters.close();
            runtime.close();
            throw new IllegalStateException("the sandbox did not start: " + e.getMessage(), e);
        }
        camel.bind("sandboxApi", new SandboxApi(restApi, sandbox));
        Leadership leadership = leadership(settings, runtime, sandbox);
        camel.bind("leadership", leadership);
        restApi.forwardWith(new dev.backupstate.inbox.LeaderForwarder(runtime.fence(), leadership.member(),
                List.of(settings.get("bse.leader.forward-to").split(","))));
        camel.bind("leadershipHealth", new dev.backupstate.observe.LeadershipHealthCheck(leadership, runtime.fence()));
        // the routes stop with the context, then what they call: broker first, then database and rules
        camel.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport main) {
                leadership.attach(main.getCamelContext());
                scheduleTriggers.attach(main.getCamelContext());
                main.getCamelContext().addLifecycleStrategy(new LifecycleStrategySupport() {

                    @Override
                    public void onContextStarted(CamelContext context) {
                        dev.backupstate.inbox.SecurityHeaders.install(context, Integer.parseInt(settings.get("camel.server.port")));
                        try {
                            notifier.start(context);
                        } catch (Exception e) {
                            throw new IllegalStateException("the notification sinks did not start: " + e.getMessage(), e);
                        }
                        leadership.start();
                    }

                    @Override
                    public void onContextStopping(CamelContext context) {
                        // before the context stops its services: the leadership thread starts routes
                        leadership.close();
                    }

                    @Override
                    public void onContextStopped(CamelContext context) {
                        leadership.close();
                        broker.close();
                        closeSandbox(sandbox);
                        buckets.close();
                        clusters.close();
                        runtime.close();
                    }
                });
            }
        });
        return camel;
    }

    /**
     * The notification sinks (bse.notify.*), checked now: a sink that cannot work stops the start with its
     * key named. Refused rule reloads and overdue schedules are raised as notices too.
     */
    private static dev.backupstate.notify.Notifier notifier(Settings settings, EngineRuntime runtime) {
        Map<String, String> all = settings.all();
        List<dev.backupstate.notify.Sink> sinks = dev.backupstate.notify.Sink.configured(all::get);
        dev.backupstate.store.NoticeStore notices = new dev.backupstate.store.NoticeStore(runtime.database(), Clock.systemUTC());
        dev.backupstate.notify.Notifier notifier = new dev.backupstate.notify.Notifier(notices, sinks,
                Integer.parseInt(settings.get("bse.notify.batch")), Clock.systemUTC())
                .perMinute(Integer.parseInt(settings.get("bse.notify.max-per-minute")));
        runtime.rules().onReload(report -> {
            if (!report.accepted()) {
                notices.raise(dev.backupstate.notify.RefusedReloads.notice(report, runtime.rules().directory()),
                        dev.backupstate.notify.RefusedReloads.key(report));
            }
        });
        runtime.metrics().watchNotifications(notifier);
        return notifier;
    }

    /**
     * Who leads (issue 12): the configured cluster service, this replica's name and address, the
     * leader-only routes, and what the leader does before they start: read the catalog again, ask for
     * the configured users and the sandbox's preload. Alone (none), this engine leads at once.
     */
    private static Leadership leadership(Settings settings, EngineRuntime runtime, Sandbox sandbox) {
        String member = ClusterServices.member(settings);
        String address = settings.get("bse.leader.address").trim();
        if (address.isEmpty()) {
            String host;
            try {
                host = java.net.InetAddress.getLocalHost().getHostAddress();
            } catch (java.io.IOException e) {
                host = "127.0.0.1";
            }
            address = "http://" + host + ":" + settings.get("camel.server.port");
        }
        Leadership leadership = new Leadership(ClusterServices.of(settings, member), runtime.fence(), member, address,
                List.of(settings.get("bse.leader.routes").split("\\s*,\\s*")),
                Duration.ofMillis(Long.parseLong(settings.get("bse.leader.follower-refresh-millis"))), runtime.loop()::refresh);
        if (runtime.fence().enforced()) {
            leadership.onLead(runtime.loop()::refresh);
            leadership.onLead(runtime.inFlight()::reload);
            leadership.onLead(runtime::announceUsers);
        }
        if (sandbox != null) {
            leadership.onLead(sandbox::preload);
        }
        return leadership;
    }

    /** The embedded default's clusters and object store, unless bse.sandbox.enabled is false. */
    private static Sandbox sandbox(Settings settings, EngineRuntime runtime, ClusterSide clusters, Observations observations)
            throws Exception {
        if (!Boolean.parseBoolean(settings.get("bse.sandbox.enabled"))) {
            return null;
        }
        return new Sandbox(Path.of(settings.get("bse.data.directory"), "sandbox"),
                Integer.parseInt(settings.get("bse.sandbox.object-store-port")), settings.get("bse.clusters.agent-namespace"),
                settings.get("bse.clusters.admin-namespace"),
                settings.get("bse.clusters.agent-lease"), runtime.mode(), runtime.loop(), clusters.clients().kubeconfigs(),
                clusters.probes(), observations, Clock.systemUTC());
    }

    private static void closeSandbox(Sandbox sandbox) {
        if (sandbox != null) {
            try {
                sandbox.close();
            } catch (Exception e) {
                LOG.warn("the sandbox did not stop cleanly: {}", e.getMessage());
            }
        }
    }

    private static Broker broker(Settings settings, Tokens tokens,
                                 java.util.function.Function<String, dev.backupstate.model.Actor> people) {
        String url = settings.get("bse.broker.url");
        return url.isEmpty()
                ? Broker.embedded(Path.of(settings.get("bse.data.directory"), "broker"), settings.get("bse.broker.listen"),
                        tokens, people, settings.get("bse.broker.requests-queue"), settings.get("bse.broker.outcomes-queue"),
                        settings.get("bse.broker.dead-letter-queue"))
                : Broker.external(url, settings.get("bse.broker.user"), settings.get("bse.broker.password"));
    }
}
