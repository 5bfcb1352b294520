package dev.backupstate.bucket;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.backupstate.model.BucketKey;
import dev.backupstate.testing.TestDatabases;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One sync per bucket folder across engines: leases of two holders (two engines) on one database,
 * the embedded H2 and the machine's PostgreSQL alike.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BucketLeasesIT {

    private final TestDatabases databases = new TestDatabases("lease");
    private int bucketNumber;

    Stream<Named<HikariDataSource>> databases() {
        return databases.named();
    }

    @AfterAll
    void close() throws Exception {
        databases.close();
    }

    private BucketKey freshBucket() {
        return new BucketKey("http://s3.example", "fleet-" + (++bucketNumber), "team");
    }

    private static Clock at(String instant) {
        return Clock.fixed(Instant.parse(instant), ZoneOffset.UTC);
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("databases")
    void should_let_one_engine_hold_a_bucket_until_it_releases_it(HikariDataSource database) {
        BucketKey bucket = freshBucket();
        BucketLeases engineA = new BucketLeases(database, Clock.systemUTC(), "engine-a", Duration.ofMinutes(5));
        BucketLeases engineB = new BucketLeases(database, Clock.systemUTC(), "engine-b", Duration.ofMinutes(5));

        assertThat(engineA.claim(bucket)).isTrue();
        assertThat(engineB.claim(bucket)).as("held by A").isFalse();
        assertThat(engineB.claim(new BucketKey("http://s3.example", bucket.bucket(), "other-team"))).as("another folder").isTrue();
        assertThat(engineA.renew(bucket)).isTrue();

        engineA.release(bucket);
        assertThat(engineB.claim(bucket)).isTrue();
        assertThat(engineA.renew(bucket)).as("A lost it").isFalse();
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("databases")
    void should_let_another_engine_take_the_lease_of_one_that_died(HikariDataSource database) {
        BucketKey bucket = freshBucket();
        assertThat(new BucketLeases(database, at("2026-11-25T10:00:00Z"), "engine-a", Duration.ofMinutes(5)).claim(bucket)).isTrue();

        // engine A died holding it; B asks before and after the lease ran out
        assertThat(new BucketLeases(database, at("2026-11-25T10:04:00Z"), "engine-b", Duration.ofMinutes(5)).claim(bucket)).isFalse();
        assertThat(new BucketLeases(database, at("2026-11-25T10:06:00Z"), "engine-b", Duration.ofMinutes(5)).claim(bucket)).isTrue();
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("databases")
    void should_give_a_free_bucket_to_exactly_one_of_many_engines_asking_at_once(HikariDataSource database) throws Exception {
        BucketKey bucket = freshBucket();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> claims = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                BucketLeases engine = new BucketLeases(database, Clock.systemUTC(), "engine-" + i, Duration.ofMinutes(5));
                claims.add(() -> engine.claim(bucket));
            }
            int won = 0;
            for (Future<Boolean> claim : pool.invokeAll(claims)) {
                won += claim.get() ? 1 : 0;
            }
            assertThat(won).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }
}
