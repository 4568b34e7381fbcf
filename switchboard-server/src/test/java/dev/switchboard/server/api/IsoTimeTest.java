package dev.switchboard.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** IsoTime writes what Instant.toString writes, for every millisecond it is asked about. */
final class IsoTimeTest {
    @Test
    void writesWhatInstantWritesAtTheEdgesOfDaysMonthsYearsAndEras() {
        long[] edges = {0, 1, 999, 1_000, -1, -1_000, 86_399_999, 86_400_000, 951_782_400_000L /* 2000-02-29 */,
            4_107_542_399_999L /* 2100-02-28T23:59:59.999 */, 4_107_542_400_000L, -62_167_219_200_000L, 253_402_300_799_999L,
            253_402_300_800_000L, -62_167_219_200_001L, 1_795_827_936_566L, 1_795_827_936_000L, 1_795_827_936_100L};
        for (long millis : edges) {
            assertThat(IsoTime.format(millis)).as("%d", millis).isEqualTo(Instant.ofEpochMilli(millis).toString());
        }
    }

    @Test
    void writesWhatInstantWritesForAMillionRandomTimes() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 1_000_000; i++) {
            long millis = random.nextLong(-70_000_000_000_000L, 260_000_000_000_000L);
            if (i % 3 == 0) {
                millis -= Math.floorMod(millis, 1_000); // whole seconds: no fraction
            }
            assertThat(IsoTime.format(millis)).isEqualTo(Instant.ofEpochMilli(millis).toString());
        }
    }
}
