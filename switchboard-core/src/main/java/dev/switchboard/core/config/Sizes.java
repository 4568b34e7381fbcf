package dev.switchboard.core.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Byte sizes in config: {@code 1048576}, {@code 512KiB}, {@code 1MiB}, {@code 2GiB}. */
public final class Sizes {
    private static final Pattern FORM = Pattern.compile("(\\d{1,12})(B|KiB|MiB|GiB)?");

    private Sizes() {}

    public static long parse(String text) {
        Matcher m = text == null ? null : FORM.matcher(text.trim());
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size: write e.g. 65536, 64KiB, 1MiB or 1GiB");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "B" : m.group(2);
        return switch (unit) {
            case "KiB" -> n << 10;
            case "MiB" -> n << 20;
            case "GiB" -> n << 30;
            default -> n;
        };
    }
}
