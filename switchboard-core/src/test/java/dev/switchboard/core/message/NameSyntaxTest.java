package dev.switchboard.core.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.error.SwitchboardException;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The hand-written checks agree with the regexes of the wire contract (DESIGN.md §1), kept here as the oracle. */
class NameSyntaxTest {
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]{0,199}");
    private static final Pattern RESERVED = Pattern.compile("_[A-Za-z0-9._:/-]{1,199}");
    private static final Pattern JOB_EVENTS = Pattern.compile("_jobs/[0-9a-f]{32}");
    private static final Pattern GROUP = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,99}");
    /** Every character class the rules tell apart, plus neighbours of their edges and non-ASCII. */
    private static final String ALPHABET = "aAzZ09fg._:/-_ \n@[`{\u00e9\u0660/";

    @Test
    void agreesWithTheContractsRegexesOnRandomNames() {
        Random random = new Random(7);
        for (int n = 0; n < 200_000; n++) {
            String name = randomName(random);
            assertThat(NameSyntax.isName(name, 200, true)).as("topic %s", name).isEqualTo(TOPIC.matcher(name).matches());
            assertThat(Topics.isReserved(name)).as("reserved %s", name).isEqualTo(RESERVED.matcher(name).matches());
            assertThat(NameSyntax.isName(name, 100, false)).as("group %s", name).isEqualTo(GROUP.matcher(name).matches());
        }
    }

    @Test
    void lengthLimitsAreExact() {
        assertThat(NameSyntax.isName("a".repeat(200), 200, true)).isTrue();
        assertThat(NameSyntax.isName("a".repeat(201), 200, true)).isFalse();
        assertThat(Topics.isReserved("_" + "a".repeat(199))).isTrue();
        assertThat(Topics.isReserved("_" + "a".repeat(200))).isFalse();
        assertThat(Topics.isReserved("_")).isFalse();
        assertThat(NameSyntax.isName("", 200, true)).isFalse();
        assertThat(NameSyntax.isName(null, 200, true)).isFalse();
    }

    @Test
    void jobEventTopicsAreReadableAndOtherReservedNamesAreNot() {
        String id = "0123456789abcdef0123456789abcdef";
        assertThat(Topics.requireReadable("_jobs/" + id)).isEqualTo("_jobs/" + id);
        assertThat(JOB_EVENTS.matcher("_jobs/" + id).matches()).isTrue();
        for (String bad : new String[] {"_jobs/" + id.toUpperCase(), "_jobs/" + id + "0", "_jobs/" + id.substring(1), "_jobq/" + id,
                "_jobs/" + id.substring(0, 31) + "g"}) {
            assertThatThrownBy(() -> Topics.requireReadable(bad)).as(bad).isInstanceOf(SwitchboardException.class);
        }
    }

    private static String randomName(Random random) {
        int length = random.nextInt(8) == 0 ? 95 + random.nextInt(110) : random.nextInt(6);
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            // mostly valid characters, so that long valid names occur and the length limits get tested
            b.append(random.nextInt(40) == 0 ? ALPHABET.charAt(random.nextInt(ALPHABET.length())) : "aZ0._:-/".charAt(random.nextInt(8)));
        }
        if (length > 0 && random.nextBoolean()) {
            b.setCharAt(0, random.nextBoolean() ? '_' : ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }
}
