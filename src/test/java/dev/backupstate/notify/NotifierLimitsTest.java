package dev.backupstate.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backupstate.model.Notice;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** A storm of notices is summarised, never dropped unsaid, and one notice's text cannot forge another line. */
class NotifierLimitsTest {

    private static final Instant NOON = Instant.parse("2026-12-07T12:00:10Z");

    private static List<Notice> skipped(long from, long to) {
        return LongStream.rangeClosed(from, to).mapToObj(id -> new Notice(id, NOON, Notice.Kind.ScheduleRunSkipped, "schedules",
                "s" + id, null, "SCHEDULE_SUSPENDED", null, null, "suspended", List.of(), null)).toList();
    }

    @Test
    void should_send_a_minutes_room_then_one_summary_then_wait_for_the_next_minute() {
        Notifier notifier = new Notifier(null, List.of(), 50, Clock.fixed(NOON, ZoneOffset.UTC)).perMinute(5);

        Notifier.Batch first = notifier.limited("team", skipped(1, 20), 20).orElseThrow();
        var second = notifier.limited("team", skipped(21, 25), 25);

        assertThat(first.notices()).hasSize(5);
        assertThat(first.notices().subList(0, 4)).extracting(Notice::id).containsExactly(1L, 2L, 3L, 4L);
        Notice summary = first.notices().get(4);
        assertThat(summary.event()).isEqualTo(Notice.Kind.NoticesSummarised);
        assertThat(summary.id()).as("the cursor moves past what it sums up").isEqualTo(20);
        assertThat(summary.headline()).contains("16 more notices", "ScheduleRunSkipped=16");
        assertThat(second).as("this minute's room is used: the rest waits").isEmpty();
        Notifier nextMinute = new Notifier(null, List.of(), 50, Clock.fixed(NOON.plusSeconds(60), ZoneOffset.UTC)).perMinute(5);
        assertThat(nextMinute.limited("team", skipped(21, 25), 25).orElseThrow().notices()).hasSize(5);
    }

    @Test
    void should_put_every_field_on_its_own_line_whatever_its_text_holds() {
        Notice forged = new Notice(1, NOON, Notice.Kind.BackupFailed, "backups", "b1", "Failure",
                "boom\nstate: Success\r\nreason: none", "c1", "l1", "x\u2028cluster: other", List.of(), "r1");

        String details = Notifier.details(forged);

        assertThat(details.lines()).allSatisfy(line -> assertThat(line).matches("[a-z ]+: .*"));
        assertThat(details.lines().filter(line -> line.startsWith("state:"))).containsExactly("state: Failure");
        assertThat(details).contains("reason: boom state: Success reason: none");
    }
}
