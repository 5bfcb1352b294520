package dev.backupstate.app;

import dev.backupstate.store.Fence;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.support.RoutePolicySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One writer (issue 12): Camel's cluster service elects the leader among the engines that share a
 * store; only the leader decides and acts. The routes that decide or act (inboxes, schedules, probes,
 * polls, the outbox) run on the leader only. On winning, in this order: the next leadership epoch is
 * taken in the store ({@link Fence}: every commit checks it, so a deposed leader commits nothing), the
 * catalog is read again from the store, what the engine asks of itself at start is asked, and only then
 * do those routes start. On losing: the epoch is dropped first, then the routes stop.
 *
 * <p>Camel's {@code ClusteredRoutePolicy} starts routes on the same event, but in no order with the
 * epoch and the catalog; the policy here keeps Camel's election and view, and adds that order.
 */
public final class Leadership {

    /** The cluster view the engines elect their leader in. */
    public static final String NAMESPACE = "backup-state-engine";
    private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);

    private final CamelClusterService service;
    private final Fence fence;
    private final String member;
    private final String address;
    private final Set<String> leaderOnly;
    private final List<String> leaderOnlyPrefixes;
    private final List<Runnable> onLead = new ArrayList<>();
    private final Set<String> held = ConcurrentHashMap.newKeySet();
    /** Leadership events run one at a time, off the cluster service's thread. */
    private final ExecutorService events = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "bse-leadership");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean leading;
    /** Set when the context stops: no route is started after that. */
    private volatile boolean closed;
    private volatile CamelContext context;
    private final java.time.Duration followerRefresh;
    private final Runnable refresh;
    private final java.util.concurrent.ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "bse-follower-refresh");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param service    the cluster service electing the leader; null: this engine leads alone, at once
     * @param leaderOnly the ids of the routes that run on the leader only (an id ending in "*": a prefix)
     */
    public Leadership(CamelClusterService service, Fence fence, String member, String address, List<String> leaderOnly,
                      java.time.Duration followerRefresh, Runnable refresh) {
        this.followerRefresh = followerRefresh;
        this.refresh = refresh;
        this.service = service;
        this.fence = fence;
        this.member = member;
        this.address = address;
        this.leaderOnly = ConcurrentHashMap.newKeySet();
        this.leaderOnlyPrefixes = new ArrayList<>();
        for (String id : leaderOnly) {
            if (id.endsWith("*")) {
                leaderOnlyPrefixes.add(id.substring(0, id.length() - 1));
            } else if (!id.isBlank()) {
                this.leaderOnly.add(id.trim());
            }
        }
    }

    /** What the leader does once it has its epoch and catalog, before its routes start (in the order given). */
    public void onLead(Runnable action) {
        onLead.add(action);
    }

    public boolean leading() {
        return leading;
    }

    public String member() {
        return member;
    }

    public boolean elected() {
        return service != null;
    }

    /** Before the routes are created: the leader-only routes do not start by themselves. */
    public void attach(CamelContext camel) {
        this.context = camel;
        camel.addRoutePolicyFactory((ctx, routeId, node) -> isLeaderOnly(routeId) ? new LeaderOnly() : null);
        if (service != null) {
            try {
                camel.addService(service);
            } catch (Exception e) {
                throw new IllegalStateException("the cluster service could not be added: " + e.getMessage(), e);
            }
        }
    }

    /** Once the context runs: join the election (or, alone, lead). */
    public void start() {
        if (service == null) {
            events.submit(this::lead);
            return;
        }
        // a follower's reads: the catalog as the leader committed it, a refresh period old at most
        refresher.scheduleWithFixedDelay(() -> {
            if (leading && fence.enforced() && fence.epoch() == 0) {
                // fenced: another replica took a newer epoch while this one believed it led
                events.submit(this::follow);
            }
            if (!leading) {
                try {
                    refresh.run();
                } catch (RuntimeException e) {
                    LOG.debug("the catalog could not be read again: {}", e.getMessage());
                }
            }
        }, followerRefresh.toMillis(), followerRefresh.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        try {
            CamelClusterView view = service.getView(NAMESPACE);
            view.addEventListener((CamelClusterEventListener.Leadership) (clusterView, leader) -> {
                // the member may be null: no leader now
                boolean mine = leader != null && leader.isLocal();
                events.submit(mine ? this::lead : this::follow);
            });
            if (view.getLocalMember().isLeader()) {
                events.submit(this::lead);
            }
        } catch (Exception e) {
            throw new IllegalStateException("the cluster view " + NAMESPACE + " could not be joined: " + e.getMessage(), e);
        }
    }

    boolean isLeaderOnly(String routeId) {
        return routeId != null && (leaderOnly.contains(routeId) || leaderOnlyPrefixes.stream().anyMatch(routeId::startsWith));
    }

    private void lead() {
        if (leading || closed) {
            return;
        }
        try {
            long epoch = fence.enforced() ? fence.take(member, address) : 0;
            leading = true;
            LOG.info("this engine ({}) leads now{}", member, fence.enforced() ? ", epoch " + epoch : "");
            for (Runnable action : onLead) {
                action.run();
            }
            for (String routeId : held) {
                context.getRouteController().startRoute(routeId);
            }
        } catch (Exception e) {
            LOG.error("taking the lead failed ({}); following", e.getMessage(), e);
            follow();
        }
    }

    private void follow() {
        boolean was = leading;
        fence.drop();
        leading = false;
        for (String routeId : held) {
            try {
                context.getRouteController().stopRoute(routeId);
            } catch (Exception e) {
                LOG.warn("route {} did not stop: {}", routeId, e.getMessage());
            }
        }
        if (was) {
            LOG.warn("this engine ({}) no longer leads; it serves reads and passes writes to the leader", member);
        }
    }

    /**
     * Stops following events (the context is stopping), and waits for the event being handled: a route it
     * starts while the context stops its services would change what the context is iterating.
     */
    public void close() {
        closed = true;
        refresher.shutdownNow();
        events.shutdownNow();
        try {
            if (!events.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS)) {
                LOG.warn("the leadership's event thread did not end within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Holds a leader-only route back until this engine leads. */
    private final class LeaderOnly extends RoutePolicySupport implements RoutePolicy {
        @Override
        public void onInit(Route route) {
            held.add(route.getRouteId());
            route.setAutoStartup(leading);
        }

        @Override
        public void onRemove(Route route) {
            held.remove(route.getRouteId());
        }
    }
}
