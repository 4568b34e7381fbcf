package dev.switchboard.core.message;

/**
 * The character rules of topic, group and job-type names, checked by hand instead of with a regex: a
 * name is checked on every publish and every job step, and the regex engine's character-class matching
 * was 9 % of the CPU of in-process jobs (a JFR profile of {@code bench jobs --mode embedded}).
 */
public final class NameSyntax {
    private NameSyntax() {}

    /**
     * {@code [A-Za-z0-9][A-Za-z0-9._:-]{0,maxLength-1}}, with {@code /} allowed after the first character
     * when {@code slash} is true.
     */
    public static boolean isName(String s, int maxLength, boolean slash) {
        return s != null && !s.isEmpty() && s.length() <= maxLength && isAlphanumeric(s.charAt(0)) && restIsNameChars(s, 1, slash);
    }

    /** True when every character from {@code from} on is one of {@code A-Za-z0-9._:-} (and {@code /} if allowed). */
    public static boolean restIsNameChars(String s, int from, boolean slash) {
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!isAlphanumeric(c) && c != '.' && c != '_' && c != ':' && c != '-' && !(slash && c == '/')) {
                return false;
            }
        }
        return true;
    }

    /** True when {@code s} has exactly {@code length} characters from {@code from} on, all of them {@code 0-9a-f}. */
    public static boolean isLowerHex(String s, int from, int length) {
        if (s == null || s.length() != from + length) {
            return false;
        }
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAlphanumeric(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
