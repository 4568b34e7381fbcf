package dev.switchboard.server.auth;

/**
 * A granted name: exact ({@code orders}), or with {@code *} standing for any run of characters,
 * none included, dots and slashes included ({@code orders.*} matches {@code orders.eu.paid} but not
 * {@code orders}; {@code *} matches everything). No other character is special.
 */
record NamePattern(String text) {
    /** Longest pattern accepted: a topic name is at most 200 characters. */
    static final int MAX_LENGTH = 256;

    NamePattern {
        if (text.isEmpty() || text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("a pattern has 1 to " + MAX_LENGTH + " characters");
        }
    }

    /** A pattern matching {@code name} only (names of topics and jobs never hold a {@code *}). */
    static NamePattern exactly(String name) {
        if (name.indexOf('*') >= 0) {
            throw new IllegalArgumentException("'" + name + "' is not a name: it holds a *");
        }
        return new NamePattern(name);
    }

    boolean matches(String name) {
        return matches(text, 0, name, 0);
    }

    /** Glob match, iterative with one backtrack point: linear in practice, never exponential. */
    private static boolean matches(String p, int pi, String s, int si) {
        int star = -1;
        int mark = 0;
        while (si < s.length()) {
            if (pi < p.length() && p.charAt(pi) == '*') {
                star = pi++;
                mark = si;
            } else if (pi < p.length() && p.charAt(pi) == s.charAt(si)) {
                pi++;
                si++;
            } else if (star >= 0) {
                pi = star + 1;
                si = ++mark;
            } else {
                return false;
            }
        }
        while (pi < p.length() && p.charAt(pi) == '*') {
            pi++;
        }
        return pi == p.length();
    }

    @Override
    public String toString() {
        return text;
    }
}
