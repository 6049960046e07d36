package io.descentwatch.producer.datasets;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a classification table from CSV: one example per line, numeric feature columns and one label column
 * (named in the header, or by zero-based index). Labels may be any strings; classes are numbered in sorted order
 * so the same file always gives the same numbering. A bad cell is reported with its line and column.
 */
public final class CsvDataset {

    private CsvDataset() {}

    /**
     * @param labelColumn a header name, or a zero-based column index (negative counts from the end: -1 = last)
     * @param header      whether the first line names the columns
     */
    public static LabelledData read(Path file, String labelColumn, boolean header, char separator) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            int labelIndex = -1;
            int columns = -1;
            List<double[]> rows = new ArrayList<>();
            List<String> rawLabels = new ArrayList<>();
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = split(line, separator);
                if (columns < 0) {
                    columns = cells.length;
                    labelIndex = labelIndex(file, labelColumn, header ? cells : null, columns);
                    if (header) {
                        continue;
                    }
                }
                if (cells.length != columns) {
                    throw new IOException(
                            file + " line " + lineNo + ": " + cells.length + " columns, expected " + columns);
                }
                double[] row = new double[columns - 1];
                int k = 0;
                for (int c = 0; c < columns; c++) {
                    if (c == labelIndex) {
                        continue;
                    }
                    try {
                        row[k++] = Double.parseDouble(cells[c].trim());
                    } catch (NumberFormatException e) {
                        throw new IOException(file + " line " + lineNo + " column " + (c + 1) + ": '" + cells[c]
                                + "' is not a number");
                    }
                }
                rows.add(row);
                rawLabels.add(cells[labelIndex].trim());
            }
            if (rows.isEmpty()) {
                throw new IOException(file + ": no examples");
            }
            Map<String, Integer> classes = new TreeMap<>(CsvDataset::compareLabels);
            rawLabels.forEach(l -> classes.put(l, 0));
            int next = 0;
            for (Map.Entry<String, Integer> e : classes.entrySet()) {
                e.setValue(next++);
            }
            int[] labels = rawLabels.stream().mapToInt(classes::get).toArray();
            return new LabelledData(rows.toArray(double[][]::new), labels, classes.size());
        }
    }

    /** Numeric labels in numeric order (2 before 10), others alphabetically. */
    private static int compareLabels(String a, String b) {
        try {
            return Double.compare(Double.parseDouble(a), Double.parseDouble(b));
        } catch (NumberFormatException e) {
            return a.compareTo(b);
        }
    }

    private static int labelIndex(Path file, String labelColumn, String[] header, int columns) throws IOException {
        if (header != null) {
            for (int i = 0; i < header.length; i++) {
                if (header[i].trim().equals(labelColumn)) {
                    return i;
                }
            }
        }
        try {
            int i = Integer.parseInt(labelColumn.trim());
            int index = i < 0 ? columns + i : i;
            if (index < 0 || index >= columns) {
                throw new IOException(file + ": label column " + labelColumn + " outside the " + columns + " columns");
            }
            return index;
        } catch (NumberFormatException e) {
            throw new IOException(file + ": no column named '" + labelColumn + "'"
                    + (header == null ? " (the file has no header; give a column index)" : ""));
        }
    }

    /** Splits on the separator, honouring double-quoted cells (RFC 4180, no embedded newlines). */
    static String[] split(String line, char separator) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == separator) {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        return cells.toArray(String[]::new);
    }
}
