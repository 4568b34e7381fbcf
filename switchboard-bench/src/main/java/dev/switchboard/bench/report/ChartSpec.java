package dev.switchboard.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Which figures of a scenario's rows one chart shows: a category per row (the x axis) and one or more
 * {@link Measure}s, each a figure of the row drawn in a series named from the row. {@link #chart} pivots
 * the rows into a {@link SvgBarChart}, or null when no row has any of the figures.
 */
record ChartSpec(String title, String unit, boolean log, Function<Map<String, Object>, String> category, List<Measure> measures) {
    /** Figure {@code key} of a row, in the series {@code series(row)}. */
    record Measure(String key, Function<Map<String, Object>, String> series) {
        static Measure of(String key, String series) {
            return new Measure(key, row -> series);
        }

        static Measure by(String key, String seriesColumn, String suffix) {
            return new Measure(key, row -> row.get(seriesColumn) + suffix);
        }
    }

    static Function<Map<String, Object>, String> column(String name) {
        return row -> String.valueOf(row.get(name));
    }

    SvgBarChart chart(List<Map<String, Object>> rows) {
        Set<String> categories = new LinkedHashSet<>();
        Set<String> series = new LinkedHashSet<>();
        for (Map<String, Object> row : rows) {
            for (Measure m : measures) {
                if (row.get(m.key()) instanceof Number) {
                    categories.add(category.apply(row));
                    series.add(m.series().apply(row));
                }
            }
        }
        if (categories.isEmpty()) {
            return null;
        }
        List<String> cats = new ArrayList<>(categories);
        List<SvgBarChart.Series> out = new ArrayList<>();
        for (String name : series) {
            double[] values = new double[cats.size()];
            java.util.Arrays.fill(values, Double.NaN);
            for (Map<String, Object> row : rows) {
                for (Measure m : measures) {
                    if (row.get(m.key()) instanceof Number n && m.series().apply(row).equals(name)) {
                        values[cats.indexOf(category.apply(row))] = n.doubleValue();
                    }
                }
            }
            out.add(new SvgBarChart.Series(name, values));
        }
        return new SvgBarChart(title, unit, cats, out, log);
    }
}
