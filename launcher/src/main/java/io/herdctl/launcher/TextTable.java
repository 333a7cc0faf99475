package io.herdctl.launcher;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table for the command line: a header row, then rows, each
 * column as wide as its widest cell and two spaces between columns. Cells are
 * put on one line and cleaned of control characters, since they carry job data
 * (agent names, alert titles) that the terminal should not interpret.
 */
final class TextTable {

    private final List<String[]> rows = new ArrayList<>();

    TextTable(String... header) {
        rows.add(header);
    }

    TextTable row(String... cells) {
        if (cells.length != rows.get(0).length) {
            throw new IllegalArgumentException("a row of " + cells.length + " cells in a table of "
                    + rows.get(0).length + " columns");
        }
        String[] line = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            line[i] = cells[i] == null ? "-" : oneLine(cells[i]);
        }
        rows.add(line);
        return this;
    }

    void print(PrintStream out) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(row[i]);
                if (i < row.length - 1) {
                    line.append(" ".repeat(widths[i] - row[i].length() + 2));
                }
            }
            out.println(line.toString().stripTrailing());
        }
    }

    /** The text on one line: line breaks and tabs become spaces, other control characters are replaced. */
    static String oneLine(String text) {
        return clean(text.replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ').replace('\t', ' '));
    }

    /**
     * The text with control characters other than line feed and tab replaced
     * by U+FFFD, so that an agent's output cannot move the cursor or recolour
     * the terminal it is printed on.
     */
    static String clean(String text) {
        String s = text.replace("\r\n", "\n");
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean control = (c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7f && c <= 0x9f);
            if (control && b == null) {
                b = new StringBuilder(s.length()).append(s, 0, i);
            }
            if (b != null) {
                b.append(control ? '\uFFFD' : c);
            }
        }
        return b == null ? s : b.toString();
    }
}
