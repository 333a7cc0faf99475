package io.herdctl.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TokenFormatsTest {

    /** A token of each format, in the kind of text it turns up in. */
    static Stream<Arguments> examples() {
        return Stream.of(
                Arguments.of("anthropic-key", "key sk-ant-api03-abcdefghijklmnopqrstuv"),
                Arguments.of("github-token", "ghp_abcdefghijklmnopqrstuvwxyz0123456789"),
                Arguments.of("github-token", "url https://x:github_pat_11ABCDEFG0123456789_abcdef@github.com"),
                Arguments.of("gitlab-token", "GITLAB_TOKEN=glpat-abcdefghij0123456789"),
                Arguments.of("slack-token", "xoxb-1234567890-abcdef"),
                Arguments.of("aws-access-key", "\"AKIAABCDEFGHIJKLMNOP\""),
                Arguments.of("google-api-key", "key=AIzaSyA0123456789abcdefghijklmnopqrstuv"),
                Arguments.of("api-key", "OPENAI_API_KEY=sk-proj-abc123def456ghi789jkl012"),
                Arguments.of("private-key", "-----BEGIN OPENSSH PRIVATE KEY-----"),
                // Job output is JSON text: a token that starts a line in a string follows a literal \n.
                Arguments.of("github-token", "{\"content\":\"first\\nghp_abcdefghijklmnopqrstuvwxyz0123456789\"}"),
                Arguments.of("api-key", "{\"content\":\"\\tsk-abcdefghij0123456789abcdef\"}"));
    }

    @ParameterizedTest(name = "{0} in \"{1}\"")
    @MethodSource("examples")
    void namesTheFormatItFinds(String id, String text) {
        assertEquals(Optional.of(id), TokenFormats.firstIn(text).map(TokenFormats.Format::id));
    }

    @Test
    void everyFormatHasAnExampleAndItsOwnId() {
        List<String> ids = TokenFormats.ALL.stream().map(TokenFormats.Format::id).toList();
        assertEquals(ids.size(), Set.copyOf(ids).size(), "ids are unique: " + ids);
        assertEquals(Set.copyOf(ids), examples().map(a -> (String) a.get()[0]).collect(Collectors.toSet()));
    }

    @ParameterizedTest(name = "nothing in \"{0}\"")
    @ValueSource(strings = {
        "task-abcdefghijklmnopqrstuvwxyz0123",        // sk- inside a longer word
        "pip install sk-learn-compatible-estimators", // sk- with no digit: a name, not a key
        "ghp_short",
        "see AKIAABCDEFGHIJKLMNOPQRS",                // longer than an access key id
        "glpat- is GitLab's prefix",
        "xoxb-",
        "no secrets here"})
    void findsNothingInLookalikes(String text) {
        assertEquals(Optional.empty(), TokenFormats.firstIn(text));
    }
}
