package dev.backupstate.rules;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What an operator asks first after editing rules/: the generation in force, its content hash, when and
 * from which files it was loaded, each rule with file and line, the last refused load (null if the
 * latest attempt was accepted), and the rules that threw while deciding, with the latest such error.
 */
public record RulesInForce(long generation, String hash, Instant loadedAt, String directory, List<String> files,
                           List<RuleSource> rules, ReloadReport lastRefusal, long refusedReloads,
                           Map<String, Long> ruleErrors, RuleError lastRuleError, List<ReasonCodes.Declared> declaredReasons) {
}
