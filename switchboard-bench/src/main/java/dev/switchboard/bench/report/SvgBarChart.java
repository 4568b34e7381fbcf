package dev.switchboard.bench.report;

import dev.switchboard.bench.result.ResultTable;
import java.util.List;
import java.util.Locale;

/**
 * A grouped bar chart as inline SVG: one group per category, one bar per series, value labels on the
 * bars, a legend, and a linear or logarithmic (decades) value axis — small enough to read and to check
 * in a browser ({@code rect.bar} with {@code data-series}, {@code data-category}, {@code data-value}).
 * A missing value (NaN) draws no bar.
 */
public final class SvgBarChart {
    private static final int WIDTH = 860;
    private static final int HEIGHT = 300;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 60;
    private static final int BOTTOM = 40;
    private static final String[] COLORS = {"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#b07aa1"};

    /** One bar per category, {@code values[i]} for {@code categories.get(i)}. */
    public record Series(String name, double[] values) {}

    private final String title;
    private final String unit;
    private final List<String> categories;
    private final List<Series> series;
    private final boolean log;

    public SvgBarChart(String title, String unit, List<String> categories, List<Series> series, boolean log) {
        this.title = title;
        this.unit = unit;
        this.categories = categories;
        this.series = series;
        this.log = log;
    }

    public String svg() {
        Axis axis = log ? Axis.log(values()) : Axis.linear(values());
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">%n",
                WIDTH, HEIGHT, WIDTH, HEIGHT));
        s.append(String.format(Locale.ROOT, "<text class=\"title\" x=\"%d\" y=\"18\" font-size=\"15\" font-weight=\"bold\">%s</text>%n", LEFT, esc(title)));
        for (double tick : axis.ticks()) {
            double y = y(axis, tick);
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%s</text>%n",
                    LEFT, WIDTH - RIGHT, y, y, LEFT - 6, y + 4, esc(ResultTable.format(tick))));
        }
        s.append(String.format(Locale.ROOT, "<text x=\"12\" y=\"%d\" font-size=\"11\" transform=\"rotate(-90 12 %d)\" text-anchor=\"middle\">%s%s</text>%n",
                TOP + plotHeight() / 2, TOP + plotHeight() / 2, esc(unit), log ? " (log scale)" : ""));
        double group = (double) (WIDTH - LEFT - RIGHT) / categories.size();
        double bar = group * 0.8 / series.size();
        for (int c = 0; c < categories.size(); c++) {
            double x0 = LEFT + c * group + group * 0.1;
            for (int k = 0; k < series.size(); k++) {
                double v = series.get(k).values()[c];
                if (Double.isNaN(v)) {
                    continue;
                }
                double top = Math.min(y(axis, v), TOP + plotHeight() - 1.0); // at least one pixel: a bar that is there is visible
                s.append(String.format(Locale.ROOT, "<rect class=\"bar\" data-series=\"%s\" data-category=\"%s\" data-value=\"%s\" x=\"%.1f\" y=\"%.1f\" "
                        + "width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s · %s: %s %s</title></rect>%n",
                        esc(series.get(k).name()), esc(categories.get(c)), v, x0 + k * bar, top, bar * 0.92, TOP + plotHeight() - top,
                        COLORS[k % COLORS.length], esc(categories.get(c)), esc(series.get(k).name()), esc(ResultTable.format(v)), esc(unit)));
                s.append(String.format(Locale.ROOT, "<text class=\"value\" x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"middle\">%s</text>%n",
                        x0 + k * bar + bar * 0.46, top - 3, esc(ResultTable.format(v))));
            }
            s.append(String.format(Locale.ROOT, "<text class=\"category\" x=\"%.1f\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\">%s</text>%n",
                    LEFT + c * group + group / 2, HEIGHT - BOTTOM + 18, esc(categories.get(c))));
        }
        for (int k = 0; k < series.size(); k++) {
            int x = LEFT + 150 * k;
            s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"30\" width=\"10\" height=\"10\" fill=\"%s\"/><text class=\"legend\" x=\"%d\" y=\"39\" font-size=\"11\">%s</text>%n",
                    x, COLORS[k % COLORS.length], x + 14, esc(series.get(k).name())));
        }
        return s.append("</svg>\n").toString();
    }

    private int plotHeight() {
        return HEIGHT - TOP - BOTTOM;
    }

    private double y(Axis axis, double v) {
        return TOP + plotHeight() * (1 - axis.fraction(v));
    }

    private double[] values() {
        return series.stream().flatMapToDouble(s -> java.util.Arrays.stream(s.values())).filter(v -> !Double.isNaN(v)).toArray();
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** Where a value sits between the axis' bottom (0) and top (1), and the values to mark. */
    private record Axis(double low, double high, boolean log, List<Double> ticks) {
        static Axis linear(double[] values) {
            double max = java.util.Arrays.stream(values).max().orElse(1);
            double step = niceStep(max <= 0 ? 1 : max / 4);
            double high = Math.max(step, Math.ceil(max / step) * step);
            List<Double> ticks = new java.util.ArrayList<>();
            for (double t = 0; t <= high + step / 2; t += step) {
                ticks.add(t);
            }
            return new Axis(0, high, false, ticks);
        }

        /** Decades from below the smallest positive value to above the largest; zeros sit on the bottom. */
        static Axis log(double[] values) {
            double min = java.util.Arrays.stream(values).filter(v -> v > 0).min().orElse(1);
            double max = java.util.Arrays.stream(values).max().orElse(10);
            double low = Math.floor(Math.log10(min));
            double high = Math.max(low + 1, Math.ceil(Math.log10(max)));
            List<Double> ticks = new java.util.ArrayList<>();
            for (double d = low; d <= high; d++) {
                ticks.add(Math.pow(10, d));
            }
            return new Axis(low, high, true, ticks);
        }

        double fraction(double v) {
            if (log) {
                return v <= 0 ? 0 : Math.max(0, (Math.log10(v) - low) / (high - low));
            }
            return v / high;
        }

        private static double niceStep(double raw) {
            double decade = Math.pow(10, Math.floor(Math.log10(raw)));
            for (double m : new double[] {1, 2, 2.5, 5, 10}) {
                if (m * decade >= raw) {
                    return m * decade;
                }
            }
            return 10 * decade;
        }
    }
}
