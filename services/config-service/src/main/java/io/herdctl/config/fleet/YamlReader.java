package io.herdctl.config.fleet;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Parses YAML into a {@link YamlTree}. Syntax errors, duplicate keys and
 * non-scalar keys become problems with their position; nothing is thrown.
 */
final class YamlReader {

    private static final int MAX_DOCUMENT_CHARS = 4 * 1024 * 1024;

    private YamlReader() {
    }

    /** The document's root, empty for an empty file or when the YAML is invalid (then problems say why). */
    static Optional<YamlTree.Node> read(String file, String text, Problems problems) {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_DOCUMENT_CHARS);
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(50);
        Node root;
        try {
            root = new Yaml(options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
            YamlTree.Pos pos = mark == null ? new YamlTree.Pos(file, 1, 1)
                    : new YamlTree.Pos(file, mark.getLine() + 1, mark.getColumn() + 1);
            problems.error(pos, "", "Invalid YAML syntax at line " + pos.line() + ", column " + pos.column() + ": " + problem);
            return Optional.empty();
        } catch (YAMLException e) {
            problems.error(new YamlTree.Pos(file, 1, 1), "", "Invalid YAML: " + e.getMessage());
            return Optional.empty();
        }
        if (root == null) {
            return Optional.empty();
        }
        return Optional.of(convert(file, root, problems));
    }

    private static YamlTree.Node convert(String file, Node node, Problems problems) {
        YamlTree.Pos pos = pos(file, node);
        if (node instanceof MappingNode mapping) {
            Map<String, YamlTree.Entry> entries = new LinkedHashMap<>();
            for (NodeTuple tuple : mapping.getValue()) {
                YamlTree.Pos keyPos = pos(file, tuple.getKeyNode());
                if (!(tuple.getKeyNode() instanceof ScalarNode keyScalar)) {
                    problems.error(keyPos, "", "mapping keys must be plain strings");
                    continue;
                }
                String key = keyScalar.getValue();
                if (entries.containsKey(key)) {
                    problems.error(keyPos, "", "duplicate key \"" + key + "\" (first defined at line "
                            + entries.get(key).keyPos().line() + ")");
                    continue;
                }
                entries.put(key, new YamlTree.Entry(key, keyPos, convert(file, tuple.getValueNode(), problems)));
            }
            return new YamlTree.MapNode(pos, entries);
        }
        if (node instanceof SequenceNode sequence) {
            List<YamlTree.Node> items = new ArrayList<>();
            for (Node item : sequence.getValue()) {
                items.add(convert(file, item, problems));
            }
            return new YamlTree.ListNode(pos, items);
        }
        ScalarNode scalar = (ScalarNode) node;
        return new YamlTree.Scalar(pos, scalar.getValue(), scalarType(scalar.getTag()));
    }

    private static YamlTree.ScalarType scalarType(Tag tag) {
        if (Tag.INT.equals(tag)) {
            return YamlTree.ScalarType.INT;
        }
        if (Tag.FLOAT.equals(tag)) {
            return YamlTree.ScalarType.FLOAT;
        }
        if (Tag.BOOL.equals(tag)) {
            return YamlTree.ScalarType.BOOL;
        }
        if (Tag.NULL.equals(tag)) {
            return YamlTree.ScalarType.NULL;
        }
        return YamlTree.ScalarType.STRING;
    }

    private static YamlTree.Pos pos(String file, Node node) {
        Mark mark = node.getStartMark();
        return mark == null ? new YamlTree.Pos(file, 1, 1) : new YamlTree.Pos(file, mark.getLine() + 1, mark.getColumn() + 1);
    }
}
