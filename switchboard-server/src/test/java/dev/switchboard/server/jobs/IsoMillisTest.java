package dev.switchboard.server.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class IsoMillisTest {
    @Test
    void writesEveryMillisecondOfASecondAsInstantDoes() {
        long second = Instant.parse("2026-11-28T09:05:49Z").toEpochMilli();
        for (long ms = second; ms < second + 1000; ms++) {
            assertThat(IsoMillis.format(ms)).isEqualTo(Instant.ofEpochMilli(ms).toString());
        }
    }

    @Test
    void secondsThatShareACacheSlotDoNotTakeEachOthersTime() {
        long t = Instant.parse("2026-11-28T23:59:59.500Z").toEpochMilli();
        for (long step : new long[] {0, 16_000, 32_000, 1_000, 16_000 * 1_000_000L, -16_000}) {
            assertThat(IsoMillis.format(t + step)).isEqualTo(Instant.ofEpochMilli(t + step).toString());
            assertThat(IsoMillis.format(t)).isEqualTo("2026-11-28T23:59:59.500Z");
        }
    }

    @Test
    void timesOutsideFourDigitYearsSinceTheEpochAreWrittenAsInstantDoes() {
        for (long ms : new long[] {0, -1, -1_000, 253_402_300_799_999L, 253_402_300_800_000L, Long.MAX_VALUE / 2}) {
            assertThat(IsoMillis.format(ms)).isEqualTo(Instant.ofEpochMilli(ms).toString());
        }
    }
}
