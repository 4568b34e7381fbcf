package dev.switchboard.bench.result;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/** A result as a plain-text table for the terminal: one column per key found in the rows, numbers right-aligned. */
public final class ResultTable {
    private ResultTable() {}

    public static String render(ScenarioResult r) {
        Set<String> columns = new LinkedHashSet<>();
        r.rows().forEach(row -> columns.addAll(row.keySet()));
        String[] names = columns.toArray(String[]::new);
        String[][] cells = new String[r.rows().size()][names.length];
        int[] widths = new int[names.length];
        for (int c = 0; c < names.length; c++) {
            widths[c] = names[c].length();
            for (int i = 0; i < cells.length; i++) {
                cells[i][c] = format(r.rows().get(i).get(names[c]));
                widths[c] = Math.max(widths[c], cells[i][c].length());
            }
        }
        StringBuilder out = new StringBuilder(r.scenario()).append("  ").append(r.setup()).append('\n');
        line(out, names, widths);
        for (String[] row : cells) {
            line(out, row, widths);
        }
        return out.toString();
    }

    /** Integers with thousands separators; fractions with two decimals below 100, none above, three significant digits below 0.1. */
    public static String format(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (d != 0 && Math.abs(d) < 0.1) {
                return String.format(Locale.ROOT, "%.3g", d);
            }
            return Math.abs(d) >= 100 ? String.format(Locale.ROOT, "%,.0f", d) : String.format(Locale.ROOT, "%.2f", d);
        }
        if (v instanceof Number n) {
            return String.format(Locale.ROOT, "%,d", n.longValue());
        }
        return v.toString();
    }

    private static void line(StringBuilder out, String[] cells, int[] widths) {
        for (int c = 0; c < cells.length; c++) {
            out.append(c == 0 ? "" : "  ").append(String.format(c == 0 ? "%-" + widths[c] + "s" : "%" + widths[c] + "s", cells[c]));
        }
        out.append('\n');
    }
}
