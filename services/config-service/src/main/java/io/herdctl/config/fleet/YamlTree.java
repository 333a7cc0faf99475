package io.herdctl.config.fleet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document as a tree whose every node remembers where it was written, so
 * each validation error can name file, line and column.
 */
final class YamlTree {

    private YamlTree() {
    }

    /** Where a node starts: file as given, 1-based line and column. */
    record Pos(String file, int line, int column) {
    }

    sealed interface Node permits MapNode, ListNode, Scalar {
        Pos pos();

        /** The node as plain Java values: Map, List, String, Long, Double, Boolean or null. */
        Object plain();

        String kind();
    }

    /** A key of a mapping with the position of the key itself. */
    record Entry(String key, Pos keyPos, Node value) {
    }

    record MapNode(Pos pos, Map<String, Entry> entries) implements Node {
        Node get(String key) {
            Entry e = entries.get(key);
            return e == null ? null : e.value();
        }

        @Override
        public Object plain() {
            Map<String, Object> out = new LinkedHashMap<>();
            entries.forEach((k, e) -> out.put(k, e.value().plain()));
            return out;
        }

        @Override
        public String kind() {
            return "a mapping";
        }
    }

    record ListNode(Pos pos, List<Node> items) implements Node {
        @Override
        public Object plain() {
            List<Object> out = new ArrayList<>();
            items.forEach(i -> out.add(i.plain()));
            return out;
        }

        @Override
        public String kind() {
            return "a list";
        }
    }

    /** The YAML core types a scalar resolved to. */
    enum ScalarType { STRING, INT, FLOAT, BOOL, NULL }

    record Scalar(Pos pos, String text, ScalarType type) implements Node {
        @Override
        public Object plain() {
            return switch (type) {
                case NULL -> null;
                case BOOL -> Boolean.parseBoolean(text.toLowerCase());
                case INT -> parseLongOrText(text);
                case FLOAT -> parseDoubleOrText(text);
                case STRING -> text;
            };
        }

        @Override
        public String kind() {
            return switch (type) {
                case NULL -> "null";
                case BOOL -> "a boolean";
                case INT -> "an integer";
                case FLOAT -> "a number";
                case STRING -> "a string";
            };
        }

        Scalar withText(String newText) {
            return new Scalar(pos, newText, type);
        }

        private static Object parseLongOrText(String text) {
            try {
                return Long.decode(text.replace("_", ""));
            } catch (NumberFormatException e) {
                return text;
            }
        }

        private static Object parseDoubleOrText(String text) {
            try {
                return Double.parseDouble(text.replace("_", ""));
            } catch (NumberFormatException e) {
                return text;
            }
        }
    }
}
