package io.herdctl.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

class DotEnvTest {

    @Test
    void readsTheUsualForms() {
        Map<String, String> env = DotEnv.parse("""
                # comment
                ANTHROPIC_API_KEY=sk-ant-123
                export GITHUB_TOKEN=ghp_abc
                QUOTED="a \\"b\\" c"
                SINGLE='keep # this'
                TRAILING=value # comment
                EMPTY=
                not a line
                1BAD=x
                """);
        assertEquals(Map.of("ANTHROPIC_API_KEY", "sk-ant-123", "GITHUB_TOKEN", "ghp_abc", "QUOTED", "a \"b\" c",
                "SINGLE", "keep # this", "TRAILING", "value", "EMPTY", ""), env);
    }
}
