package dev.backupstate.inbox;

import java.time.Clock;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Per-user rates on the REST door (issue 21): each user has a bucket per kind of call (every call, and
 * dry runs besides) that fills at its configured rate up to a burst of two seconds' worth; a call that
 * finds it empty is answered 429 with the seconds after which one would go through. A rate of 0 means
 * no limit. One user's flood never slows another's calls.
 */
public final class RateLimits {

    /** What is limited: every authenticated call, and dry runs besides (they run the rules). */
    public enum Kind { REQUESTS, DRY_RUNS }

    private final Map<Kind, Double> perSecond;
    private final Clock clock;
    private final Consumer<Kind> refused;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimits(double requestsPerSecond, double dryRunsPerSecond, Clock clock, Consumer<Kind> refused) {
        if (requestsPerSecond < 0 || dryRunsPerSecond < 0) {
            throw new IllegalArgumentException("bse.limits: a rate is 0 (no limit) or more, not negative");
        }
        this.perSecond = Map.of(Kind.REQUESTS, requestsPerSecond, Kind.DRY_RUNS, dryRunsPerSecond);
        this.clock = clock;
        this.refused = refused;
    }

    /** Empty when {@code user} may make one more call of this kind now; else the seconds to wait. */
    public OptionalLong take(String user, Kind kind) {
        double rate = perSecond.get(kind);
        if (rate <= 0) {
            return OptionalLong.empty();
        }
        Bucket bucket = buckets.computeIfAbsent(kind + "\u0000" + user, key -> new Bucket(2 * rate, clock.millis()));
        OptionalLong wait = bucket.take(rate, 2 * rate, clock.millis());
        if (wait.isPresent()) {
            refused.accept(kind);
        }
        return wait;
    }

    public double rate(Kind kind) {
        return perSecond.get(kind);
    }

    private static final class Bucket {
        private double tokens;
        private long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }

        synchronized OptionalLong take(double rate, double burst, long now) {
            tokens = Math.min(burst, tokens + (now - at) / 1000.0 * rate);
            at = now;
            if (tokens >= 1) {
                tokens -= 1;
                return OptionalLong.empty();
            }
            return OptionalLong.of((long) Math.ceil((1 - tokens) / rate));
        }
    }
}
