package dev.backupstate.bench;

import dev.backupstate.model.Decision;
import dev.backupstate.rules.RuleBook;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One decision, end to end as the engine will make it: load the event's facts from the catalog,
 * evaluate the rules of rules/. The {@code plain*} benchmarks make the same three guards' decisions in
 * plain Java over the same loaded facts: the floor the rules are measured against.
 */
@State(Scope.Benchmark)
public class DecisionBenchmark {

    @Param({"100", "1000", "10000"})
    public int clusters;

    private BenchFleet fleet;
    private RuleBook rules;

    @Setup(Level.Trial)
    public void loadFleetAndRules() {
        fleet = new BenchFleet(clusters);
        rules = RuleBook.load(Path.of(System.getProperty("bench.rules", "rules")));
        check(rules.evaluate(fleet.loader.factsFor(fleet.createBackup)).accepted(), "create accepted");
        check(rules.evaluate(fleet.loader.factsFor(fleet.deleteWithEligibleCluster)).accepted(), "delete accepted");
        check(!rules.evaluate(fleet.loader.factsFor(fleet.deleteWithoutEligibleCluster)).accepted(), "delete refused");
        check(rules.evaluate(fleet.loader.factsFor(fleet.triggerSync)).accepted(), "sync accepted");
        check(PlainJavaGuards.decide(fleet.loader.factsFor(fleet.deleteWithEligibleCluster)).commands()
                .equals(rules.evaluate(fleet.loader.factsFor(fleet.deleteWithEligibleCluster)).commands()), "same delete");
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("benchmark world is wrong: expected " + what);
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        rules.close();
    }

    @Benchmark
    public Decision createBackup() {
        return rules.evaluate(fleet.loader.factsFor(fleet.createBackup));
    }

    @Benchmark
    public Decision deleteBackupWithEligibleCluster() {
        return rules.evaluate(fleet.loader.factsFor(fleet.deleteWithEligibleCluster));
    }

    @Benchmark
    public Decision deleteBackupWithoutEligibleCluster() {
        return rules.evaluate(fleet.loader.factsFor(fleet.deleteWithoutEligibleCluster));
    }

    @Benchmark
    public Decision triggerSync() {
        return rules.evaluate(fleet.loader.factsFor(fleet.triggerSync));
    }

    @Benchmark
    public Decision clusterProbeConfirmsState() {
        return rules.evaluate(fleet.loader.factsFor(fleet.probeConfirms));
    }

    @Benchmark
    public Decision clusterProbeChangesState() {
        return rules.evaluate(fleet.loader.factsFor(fleet.probeChanges));
    }

    @Benchmark
    public Decision plainCreateBackup() {
        return PlainJavaGuards.decide(fleet.loader.factsFor(fleet.createBackup));
    }

    @Benchmark
    public Decision plainDeleteBackupWithEligibleCluster() {
        return PlainJavaGuards.decide(fleet.loader.factsFor(fleet.deleteWithEligibleCluster));
    }

    @Benchmark
    public Decision plainDeleteBackupWithoutEligibleCluster() {
        return PlainJavaGuards.decide(fleet.loader.factsFor(fleet.deleteWithoutEligibleCluster));
    }

    @Benchmark
    public Decision plainTriggerSync() {
        return PlainJavaGuards.decide(fleet.loader.factsFor(fleet.triggerSync));
    }
}
