package dev.backupstate.rules;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.kie.api.definition.KiePackage;
import org.kie.api.definition.rule.Rule;
import java.util.concurrent.atomic.AtomicInteger;
import org.kie.api.KieServices;
import org.kie.api.builder.ReleaseId;
import org.kie.api.runtime.KieContainer;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.KieSessionsPool;

/**
 * One compiled generation of the rules directory. Evaluations enter and leave it; once it is
 * retired and the last evaluation has left, its container and module are disposed, so replaced
 * generations do not pile up in memory.
 */
final class RuleBase {

    private final long generation;
    private final ReleaseId releaseId;
    private final KieContainer container;
    private final KieSessionsPool sessions;
    private final Map<String, String> fileDigests;
    private final List<RuleSource> sources;
    private final ReasonCodes reasons;
    private final java.time.Instant loadedAt;
    /** 1 for being in force, plus one per evaluation inside; 0 means disposed. */
    private final AtomicInteger users = new AtomicInteger(1);

    RuleBase(long generation, ReleaseId releaseId, KieContainer container, Map<String, String> fileDigests,
             List<RuleSource> sources, java.time.Instant loadedAt, ReasonCodes reasons) {
        this.reasons = reasons;
        this.sources = sources;
        this.loadedAt = loadedAt;
        this.generation = generation;
        this.releaseId = releaseId;
        this.container = container;
        this.sessions = container.getKieBase().newKieSessionsPool(Runtime.getRuntime().availableProcessors());
        this.fileDigests = Map.copyOf(fileDigests);
    }

    long generation() {
        return generation;
    }

    Map<String, String> fileDigests() {
        return fileDigests;
    }

    ReasonCodes reasons() {
        return reasons;
    }

    List<RuleSource> sources() {
        return sources;
    }

    java.time.Instant loadedAt() {
        return loadedAt;
    }

    /** One hash of every file's content, by name: the same rules directory, the same hash. */
    String hash() {
        StringBuilder all = new StringBuilder();
        fileDigests.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(entry -> all.append(entry.getKey()).append('=').append(entry.getValue()).append('\n'));
        try {
            return "sha256:" + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(all.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Where a rule is written, if it is one of these files'. */
    java.util.Optional<RuleSource> source(String rule) {
        return sources.stream().filter(source -> source.rule().equals(rule)).findFirst();
    }

    /** False when this generation is already disposed: read the one in force again. */
    boolean enter() {
        int now;
        do {
            now = users.get();
            if (now == 0) {
                return false;
            }
        } while (!users.compareAndSet(now, now + 1));
        return true;
    }

    void leave() {
        if (users.decrementAndGet() == 0) {
            dispose();
        }
    }

    /** Called once, when a newer generation takes its place. */
    void retire() {
        leave();
    }

    List<String> ruleNames() {
        List<String> names = new ArrayList<>();
        for (KiePackage rulePackage : container.getKieBase().getKiePackages()) {
            for (Rule rule : rulePackage.getRules()) {
                names.add(rule.getName());
            }
        }
        Collections.sort(names);
        return names;
    }

    KieSession newSession() {
        return sessions.newKieSession();
    }

    private void dispose() {
        sessions.shutdown();
        container.dispose();
        KieServices.Factory.get().getRepository().removeKieModule(releaseId);
    }
}
