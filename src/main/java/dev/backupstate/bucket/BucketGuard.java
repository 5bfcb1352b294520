package dev.backupstate.bucket;

import dev.backupstate.model.BucketKey;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One piece of bucket work at a time per bucket in this engine, from reading the bucket to the decision
 * on what was read: a poll that listed a backup's folder just before its deletion must not be decided
 * just after it, or the rules would import the deleted backup again from the stale listing. Polls and
 * deletions run on the leader only, so this engine's lock is enough; other engines' polls are kept off
 * by the bucket lease.
 */
public final class BucketGuard {

    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    public <T> T exclusively(BucketKey bucket, Supplier<T> work) {
        ReentrantLock lock = locks.computeIfAbsent(bucket.endpoint() + "/" + bucket.bucket(), key -> new ReentrantLock());
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }
}
