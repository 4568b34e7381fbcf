package dev.switchboard.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JobIdsTest {
    @Test
    void idsAreWellFormedDistinctAndSortByTime() {
        Set<String> seen = new HashSet<>();
        String previous = "";
        for (int i = 0; i < 10_000; i++) { // more than one 4 KiB draw of random bytes
            String id = JobIds.next(1_700_000_000_000L + i);
            assertThat(JobIds.isWellFormed(id)).as(id).isTrue();
            assertThat(seen.add(id)).as("repeated %s", id).isTrue();
            assertThat(id).isGreaterThan(previous);
            previous = id;
        }
        assertThat(JobIds.next(0x0123456789abL)).startsWith("0123456789ab");
    }

    @Test
    void idsOneThreadMakesInTheSameMillisecondSortInTheOrderMade() {
        long now = 1_700_000_000_000L;
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            made.add(JobIds.next(now));
        }
        assertThat(made).as("in order, no repeats").isSorted().doesNotHaveDuplicates();
        assertThat(made).allSatisfy(id -> assertThat(id).startsWith("018bcfe56800"));
    }

    @Test
    void onlyThirtyTwoLowerHexDigitsAreWellFormed() {
        assertThat(JobIds.isWellFormed("0123456789abcdef0123456789abcdef")).isTrue();
        assertThat(JobIds.isWellFormed("0123456789ABCDEF0123456789abcdef")).isFalse();
        assertThat(JobIds.isWellFormed("0123456789abcdef0123456789abcde")).isFalse();
        assertThat(JobIds.isWellFormed("0123456789abcdef0123456789abcdeg")).isFalse();
        assertThat(JobIds.isWellFormed(null)).isFalse();
    }
}
