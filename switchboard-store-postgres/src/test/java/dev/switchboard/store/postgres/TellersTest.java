package dev.switchboard.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.error.ErrorCode;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.message.Message;
import dev.switchboard.core.store.Appended;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

final class TellersTest {
    private final List<Long> told = new ArrayList<>();
    private boolean storeDown;
    private final Tellers tellers = new Tellers((topic, after, limit) -> {
        if (storeDown) {
            throw new SwitchboardException(ErrorCode.STORE_UNAVAILABLE, "pool exhausted");
        }
        return LongStream.rangeClosed(after + 1, after + limit).mapToObj(TellersTest::message).toList();
    });

    TellersTest() {
        tellers.listen((topic, messages) -> messages.forEach(m -> told.add(m.offset())));
        tellers.startFrom(Map.of("t", 10L));
    }

    @Test
    void offsetsCommittedBeforeTheNodeStartedAreNotTold() {
        tellers.committedHere(appended(11, 12));

        assertThat(told).containsExactly(11L, 12L);
    }

    @Test
    void localCommitAfterAnotherNodesFirstReadsTheirsBeforeTellingItsOwn() {
        tellers.committedHere(appended(14, 15));
        tellers.committedSomewhere("t", 11, 13); // the other node's NOTIFY, arriving late

        assertThat(told).containsExactly(11L, 12L, 13L, 14L, 15L);
    }

    @Test
    void ownNotifyComingBackFirstIsToldOnceOnly() {
        tellers.committedSomewhere("t", 11, 12);
        tellers.committedHere(appended(11, 12));

        assertThat(told).containsExactly(11L, 12L);
    }

    @Test
    void failedCatchUpDoesNotStopTheLocalCommitAndIsRetriedByTheNextNotify() {
        storeDown = true;
        tellers.committedSomewhere("t", 11, 12);
        assertThat(told).isEmpty();

        storeDown = false;
        tellers.committedSomewhere("t", 13, 13);

        assertThat(told).containsExactly(11L, 12L, 13L);
    }

    private static Appended appended(long first, long last) {
        List<Message> messages = LongStream.rangeClosed(first, last).mapToObj(TellersTest::message).toList();
        return new Appended("t", first, last, 0, false, messages);
    }

    private static Message message(long offset) {
        return new Message("t", offset, 0, "text/plain", new byte[0], Map.of());
    }
}
