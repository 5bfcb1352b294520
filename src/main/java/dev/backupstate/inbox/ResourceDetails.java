package dev.backupstate.inbox;

import dev.backupstate.engine.Catalog;
import dev.backupstate.engine.DecisionLoop;
import dev.backupstate.model.Actor;
import dev.backupstate.model.Backup;
import dev.backupstate.model.Command;
import dev.backupstate.model.Connection;
import dev.backupstate.model.Decision;
import dev.backupstate.model.Eligible;
import dev.backupstate.model.Engine;
import dev.backupstate.model.Envelope;
import dev.backupstate.model.Mode;
import dev.backupstate.model.Request;
import dev.backupstate.model.ResourceKind;
import dev.backupstate.model.Schedule;
import dev.backupstate.model.SchedulePolicy;
import dev.backupstate.model.Source;
import dev.backupstate.rules.RuleBook;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The questions operators ask of one resource (issue 14), each answered by whoever owns the answer: may
 * this backup be deleted now, and by which cluster (the rules, by a dry run of the delete as the caller);
 * which clusters are eligible for a location (the rules' own inference); when a schedule fires next (its
 * Quartz trigger) and how its last run went (the catalog). Nothing here decides or changes anything.
 */
public final class ResourceDetails {

    /** When a schedule fires next, from its trigger: absent when this engine holds no trigger for it. */
    public interface FireTimes {
        List<Instant> next(String schedule, int count);
    }

    private final DecisionLoop loop;
    private final RuleBook rules;
    private final Mode mode;
    private final FireTimes fireTimes;
    private final Clock clock;

    public ResourceDetails(DecisionLoop loop, RuleBook rules, Mode mode, FireTimes fireTimes, Clock clock) {
        this.loop = loop;
        this.rules = rules;
        this.mode = mode;
        this.fireTimes = fireTimes;
        this.clock = clock;
    }

    /**
     * Whether the caller's delete of this backup would be accepted now: the rules in force decide it as a
     * dry run, so the answer is the one the delete would get, in the same words.
     */
    public Map<String, Object> deletability(Actor actor, Backup backup) {
        Decision decision = loop.dryRun(new Envelope("deletability-" + UUID.randomUUID(), actor.name(), Source.REST,
                clock.instant(), new Request.DeleteBackup(backup.name(), false)));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("backup", backup.name());
        answer.put("state", backup.stateLabel());
        answer.put("deletable", decision.accepted());
        if (decision.accepted()) {
            Optional<String> cluster = decision.commands().stream()
                    .filter(Command.DeleteBackupOnCluster.class::isInstance).map(Command.DeleteBackupOnCluster.class::cast)
                    .map(Command.DeleteBackupOnCluster::cluster).findFirst();
            answer.put("deletedBy", cluster.map(c -> "cluster").orElse("engine"));
            cluster.ifPresent(c -> answer.put("cluster", c));
            answer.put("message", decision.message());
            answer.put("commands", decision.commands().stream().map(c -> c.type().name() + " " + c.target()).toList());
        } else {
            answer.put("reason", decision.code());
            answer.put("rule", decision.rule());
            answer.put("message", decision.message());
            answer.put("refusals", decision.refusals());
        }
        answer.put("generation", decision.generation());
        return answer;
    }

    /**
     * The clusters the rules hold eligible to act on this location (Federated: Active with a Valid
     * connection), with every linked cluster's connection state and cause beside them.
     */
    public Map<String, Object> eligibility(String location) {
        Catalog catalog = loop.catalog();
        List<Object> facts = new ArrayList<>();
        facts.add(new Engine(mode));
        catalog.find(ResourceKind.BACKUP_LOCATION, location).ifPresent(facts::add);
        List<Map<String, Object>> linked = new ArrayList<>();
        for (Connection connection : catalog.connectionsTo(location, Integer.MAX_VALUE)) {
            facts.add(connection);
            Optional<dev.backupstate.model.Resource> cluster = catalog.find(ResourceKind.CLUSTER, connection.cluster());
            cluster.ifPresent(facts::add);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("cluster", connection.cluster());
            row.put("clusterState", cluster.map(dev.backupstate.model.Resource::stateLabel).orElse("(unknown)"));
            row.put("connection", connection.stateLabel());
            if (connection.cause() != null) {
                row.put("cause", connection.cause());
            }
            linked.add(row);
        }
        List<String> eligible = rules.derive(facts, Eligible.class).stream()
                .filter(fact -> fact.location().equals(location)).map(Eligible::cluster).sorted().distinct().toList();
        linked.forEach(row -> row.put("eligible", eligible.contains((String) row.get("cluster"))));
        linked.sort(Comparator.comparing(row -> (String) row.get("cluster")));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("location", location);
        answer.put("mode", mode.label());
        answer.put("eligible", eligible);
        answer.put("clusters", linked);
        if (mode == Mode.CLASSIC) {
            answer.put("note", "Classic mode has no per-cluster connections: a Valid location serves every Active cluster");
        }
        return answer;
    }

    /** A schedule's next fire times in its policy's zone, and its last and last successful run. */
    public Map<String, Object> runs(Schedule schedule, int count) {
        Catalog catalog = loop.catalog();
        Optional<SchedulePolicy> policy = catalog.find(ResourceKind.SCHEDULE_POLICY, schedule.policy()).map(SchedulePolicy.class::cast);
        java.time.ZoneId zone = policy.map(p -> java.time.ZoneId.of(p.timeZone())).orElse(java.time.ZoneOffset.UTC);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("schedule", schedule.name());
        answer.put("state", schedule.stateLabel());
        answer.put("policy", schedule.policy());
        answer.put("timeZone", zone.getId());
        List<Instant> next = schedule.state() == dev.backupstate.model.ScheduleState.ACTIVE ? fireTimes.next(schedule.name(), count) : List.of();
        answer.put("nextRuns", next.stream().map(at -> at.atZone(zone).toOffsetDateTime().toString()).toList());
        if (schedule.state() != dev.backupstate.model.ScheduleState.ACTIVE) {
            answer.put("note", "schedule is " + schedule.stateLabel() + ": its triggers are skipped");
        } else if (next.isEmpty()) {
            answer.put("note", "no trigger is registered for it yet (the leader registers it from the outbox)");
        }
        List<Backup> backups = new ArrayList<>(catalog.runsOf(schedule));
        backups.sort(Comparator.comparing(Backup::created, Comparator.nullsFirst(Comparator.naturalOrder())));
        if (!backups.isEmpty()) {
            answer.put("lastRun", run(backups.get(backups.size() - 1), zone));
        }
        backups.stream().filter(b -> b.state() == dev.backupstate.model.BackupState.SUCCESS).reduce((a, b) -> b)
                .ifPresent(success -> answer.put("lastSuccess", run(success, zone)));
        return answer;
    }

    private static Map<String, Object> run(Backup backup, java.time.ZoneId zone) {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("backup", backup.name());
        run.put("state", backup.stateLabel());
        if (backup.created() != null) {
            run.put("at", backup.created().atZone(zone).toOffsetDateTime().toString());
        }
        if (backup.cause() != null) {
            run.put("cause", backup.cause());
        }
        return run;
    }
}
