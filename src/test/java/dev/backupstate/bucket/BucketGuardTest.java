package dev.backupstate.bucket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backupstate.model.BucketKey;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A poll's listing is decided before a deletion of the same bucket starts (SecondStoreIT once saw a
 * listing taken before a deletion decided after it, importing the deleted backup again).
 */
class BucketGuardTest {

    @Test
    void should_let_a_deletion_of_a_bucket_wait_until_the_poll_of_it_is_decided() throws Exception {
        // given: a poll of the bucket in the middle of being decided
        BucketGuard guard = new BucketGuard();
        BucketKey folder = new BucketKey("http://s3.example", "fleet", "team-a");
        List<String> order = new CopyOnWriteArrayList<>();
        CountDownLatch listed = new CountDownLatch(1);
        CountDownLatch decide = new CountDownLatch(1);
        CompletableFuture<Void> poll = CompletableFuture.runAsync(() -> guard.exclusively(folder, () -> {
            order.add("listed");
            listed.countDown();
            await(decide);
            order.add("poll decided");
            return null;
        }));
        assertThat(listed.await(5, TimeUnit.SECONDS)).isTrue();

        // when: a deletion of another folder of the same bucket comes, and another bucket's
        CompletableFuture<Void> deletion = CompletableFuture.runAsync(() -> guard.exclusively(
                new BucketKey("http://s3.example", "fleet", "team-b"), () -> order.add("deleted")));
        guard.exclusively(new BucketKey("http://s3.example", "other", "x"), () -> order.add("other bucket"));
        decide.countDown();
        poll.get(5, TimeUnit.SECONDS);
        deletion.get(5, TimeUnit.SECONDS);

        // then: the other bucket did not wait; the deletion came after the poll's decision
        assertThat(order).containsSubsequence("listed", "poll decided", "deleted");
        assertThat(order.indexOf("other bucket")).isLessThan(order.indexOf("poll decided"));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
