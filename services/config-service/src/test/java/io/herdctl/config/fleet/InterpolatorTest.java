package io.herdctl.config.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** herdctl's substitution rules, one case each. */
class InterpolatorTest {

    private static final Map<String, String> ENV = Map.of("HOME_DIR", "/home/me", "EMPTY", "", "NESTED", "${HOME_DIR}");

    private static String apply(String text, Problems problems) {
        Interpolator interpolator = new Interpolator(ENV, path -> false);
        YamlTree.Node out = interpolator.apply(new YamlTree.Scalar(new YamlTree.Pos("f.yaml", 1, 1), text,
                YamlTree.ScalarType.STRING), "field", problems);
        return ((YamlTree.Scalar) out).text();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "${HOME_DIR}/x|/home/me/x",
            "${MISSING:-fallback}|fallback",
            "${MISSING:-}|''",
            "${MISSING:-a:b c}|a:b c",
            "${EMPTY:-fallback}|''",
            "$HOME_DIR|$HOME_DIR",
            "${}|${}",
            "${HOME_DIR|${HOME_DIR",
            "${123VAR}|${123VAR}",
            "${NESTED}|${HOME_DIR}",
            "a ${HOME_DIR} b ${MISSING:-c}|a /home/me b c"})
    void substitutesLikeHerdctl(String text, String expected) {
        Problems problems = new Problems();
        assertEquals(expected, apply(text, problems));
        assertTrue(!problems.hasErrors(), problems.errors()::toString);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"${NOPE}|NOPE", "x ${ALSO_NOPE} y|ALSO_NOPE"})
    void undefinedWithoutDefaultIsAnErrorAtThePath(String text, String name) {
        Problems problems = new Problems();
        apply(text, problems);
        assertEquals("Undefined environment variable '" + name + "' at 'field' (no default provided)",
                problems.errors().get(0).message());
        assertEquals(1, problems.errors().get(0).line());
    }
}
