package io.herdctl.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TokenFormatsTest {

    @ParameterizedTest(name = "{0} in \"{1}\"")
    @CsvSource(delimiter = '|', value = {
        "anthropic-key  | key sk-ant-api03-abcdefghijklmnopqrstuv",
        "github-token   | ghp_abcdefghijklmnopqrstuvwxyz0123456789",
        "github-token   | url https://x:github_pat_11ABCDEFG0123456789_abcdef@github.com",
        "gitlab-token   | GITLAB_TOKEN=glpat-abcdefghij0123456789",
        "slack-token    | xoxb-1234567890-abcdef",
        "aws-access-key | \"AKIAABCDEFGHIJKLMNOP\"",
        "google-api-key | key=AIzaSyA0123456789abcdefghijklmnopqrstuv",
        "api-key        | OPENAI_API_KEY=sk-proj-abc123def456ghi789jkl012",
        "private-key    | -----BEGIN OPENSSH PRIVATE KEY-----",
        // Job output is JSON text: a token that starts a line in a string follows a literal \\n.
        "github-token   | {\"content\":\"first\\nghp_abcdefghijklmnopqrstuvwxyz0123456789\"}",
        "api-key        | {\"content\":\"\\tsk-abcdefghij0123456789abcdef\"}"})
    void namesTheFormatItFinds(String id, String text) {
        assertEquals(Optional.of(id), TokenFormats.firstIn(text).map(TokenFormats.Format::id));
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

    @ParameterizedTest
    @ValueSource(strings = {"anthropic-key", "github-token", "gitlab-token", "slack-token", "aws-access-key",
        "google-api-key", "api-key", "private-key"})
    void everyFormatHasAHintThatItsMatchesContain(String id) {
        TokenFormats.Format format = TokenFormats.ALL.stream().filter(f -> f.id().equals(id)).findFirst().orElseThrow();
        assertTrue(!format.hints().isEmpty() && !format.description().isBlank(), id);
    }
}
