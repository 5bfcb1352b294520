package dev.backupstate.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Per-user rates: a burst of two seconds' worth, then one call per 1/rate, each user on their own. */
class RateLimitsTest {

    /** A clock the test moves. */
    private static final class Ticking extends Clock {
        Instant now = Instant.parse("2026-12-07T12:00:00Z");

        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        public Clock withZone(ZoneId zone) {
            return this;
        }

        public Instant instant() {
            return now;
        }
    }

    @Test
    void should_let_a_burst_through_then_say_when_to_come_back_and_leave_others_alone() {
        Ticking clock = new Ticking();
        List<RateLimits.Kind> refused = new ArrayList<>();
        RateLimits limits = new RateLimits(2, 1, clock, refused::add);

        for (int i = 0; i < 4; i++) {
            assertThat(limits.take("dev", RateLimits.Kind.REQUESTS)).as("call " + i).isEmpty();
        }
        OptionalLong wait = limits.take("dev", RateLimits.Kind.REQUESTS);
        OptionalLong other = limits.take("admin", RateLimits.Kind.REQUESTS);
        clock.now = clock.now.plusMillis(500);
        OptionalLong later = limits.take("dev", RateLimits.Kind.REQUESTS);

        assertThat(wait).hasValue(1);
        assertThat(other).isEmpty();
        assertThat(later).as("half a second at 2 a second is one more call").isEmpty();
        assertThat(refused).containsExactly(RateLimits.Kind.REQUESTS);
        assertThat(new RateLimits(0, 0, clock, kind -> { }).take("dev", RateLimits.Kind.DRY_RUNS)).as("0: no limit").isEmpty();
    }
}
