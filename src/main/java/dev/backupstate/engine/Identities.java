package dev.backupstate.engine;

import dev.backupstate.model.Backup;
import dev.backupstate.model.Decision;
import dev.backupstate.model.Envelope;
import dev.backupstate.model.Resource;
import dev.backupstate.model.ResourceKind;
import dev.backupstate.model.ResourceRef;
import dev.backupstate.model.Share;
import dev.backupstate.model.Transition;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Gives every resource its identity (issue 21): a resource a decision creates gets a new uid, one it
 * changes keeps the uid it has, whatever the rule built; a new backup also gets the uids of the
 * schedule that made it and of its base, and a new share that of its backup, as the catalog holds them
 * when it is created. Names can be used again; uids cannot, so everything that hangs on a resource
 * (history, a schedule's backups, retention, dependents, shares) hangs on its uid.
 *
 * <p>A uid is derived from the request that created the resource (its user, request id, kind and name):
 * a request id acts once, so a uid is never given twice, and a request decided again after a failed
 * commit gives the same uid.
 */
final class Identities {

    private Identities() {
    }

    static String derive(Envelope envelope, ResourceRef ref) {
        String key = envelope.user() + "\u0000" + envelope.requestId() + "\u0000" + ref.kind().name() + "\u0000" + ref.name();
        return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** The decision with its transitions' identities and its subject's, on the catalog it was made on. */
    static Decision stamp(Envelope envelope, Decision decision, Catalog catalog, String subjectUid) {
        List<Transition> identified = new ArrayList<>(decision.transitions().size());
        String subject = subjectUid;
        for (Transition transition : decision.transitions()) {
            Transition stamped = stamp(envelope, transition, catalog);
            identified.add(stamped);
            if (transition.ref().equals(envelope.event().subject())) {
                subject = stamped.uid();
            }
        }
        return decision.identified(identified, subject);
    }

    private static Transition stamp(Envelope envelope, Transition transition, Catalog catalog) {
        Optional<Resource> current = catalog.find(transition.ref());
        switch (transition.change()) {
            case CREATE: {
                String uid = derive(envelope, transition.ref());
                return transition.identified(uid, created(transition.after().withUid(uid), catalog));
            }
            case UPDATE: {
                String uid = current.map(Resource::uid).orElse(transition.uid());
                Resource after = transition.after() == null ? null : carried(transition.after().withUid(uid), current.orElse(null));
                return transition.identified(uid, after);
            }
            default:
                return transition.identified(current.map(Resource::uid).orElse(transition.uid()), null);
        }
    }

    /** A changed resource keeps what it was bound to, whatever the rule built: a backup its schedule and base, a share its backup. */
    private static Resource carried(Resource after, Resource before) {
        if (after instanceof Backup backup && before instanceof Backup was) {
            return backup.identified(backup.uid(), backup.scheduleUid() != null ? backup.scheduleUid() : was.scheduleUid(),
                    backup.baseUid() != null ? backup.baseUid() : was.baseUid());
        }
        if (after instanceof Share share && before instanceof Share was && share.backupUid() == null) {
            return share.ofBackup(was.backupUid());
        }
        return after;
    }

    /** A new backup bound to its schedule and base, a new share to its backup, by their uids now. */
    private static Resource created(Resource resource, Catalog catalog) {
        if (resource instanceof Backup backup) {
            String schedule = backup.schedule() == null ? null
                    : catalog.find(ResourceKind.SCHEDULE, backup.schedule()).map(Resource::uid).orElse(null);
            String base = backup.incrementalOf() == null ? null
                    : catalog.find(ResourceKind.BACKUP, backup.incrementalOf()).map(Resource::uid).orElse(null);
            return backup.identified(backup.uid(), schedule, base);
        }
        if (resource instanceof Share share) {
            return share.ofBackup(catalog.find(ResourceKind.BACKUP, share.backup()).map(Resource::uid).orElse(null));
        }
        return resource;
    }
}
