package io.herdctl.config.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.herdctl.events.ConfigProblem;

/** The blocks herdctl validates beyond docker: schedules, MCP servers, hooks, chat, work sources, directories, secrets. */
class RulesTest {

    @TempDir
    Path dir;

    private LoadedFleet agent(String yaml, Map<String, String> env) throws IOException {
        Files.writeString(dir.resolve("herdctl.yaml"), "agents:\n  - path: a.yaml\n");
        Files.writeString(dir.resolve("a.yaml"), yaml);
        return new FleetLoader(env).load(dir);
    }

    private static List<String> errors(LoadedFleet fleet) {
        return fleet.errors().stream().map(e -> e.path() + ": " + e.message()).collect(Collectors.toList());
    }

    @Test
    void checksCronAndMigratesExpression() throws IOException {
        LoadedFleet bad = agent("""
                name: a
                schedules:
                  nightly: {type: cron, cron: "0 25 * * *"}
                  old: {type: cron, expression: "@daily"}
                """, Map.of());
        assertEquals(List.of("schedules.nightly.cron: Invalid cron expression \"0 25 * * *\" - hour must be 0-23\n"
                + "  Example valid expression: \"0 9 * * *\" (every day at 09:00)"), errors(bad));
        assertTrue(bad.warnings().stream().anyMatch(w -> w.message().contains("\"expression\" is deprecated")));
    }

    @Test
    void checksMcpServersHooksChatAndWorkSources() throws IOException {
        LoadedFleet fleet = agent("""
                name: a
                mcp_servers:
                  files: {command: npx, args: [x]}
                  remote: {type: http}
                  typo: {comand: npx}
                hooks:
                  after_run:
                    - {type: shell, command: "echo hi", on_events: [completed, exploded]}
                    - {type: webhook, url: "not a url"}
                    - {type: carrier-pigeon}
                chat:
                  discord:
                    bot_token_env: BOT
                    guilds: [{id: "1", channels: [{id: "2", mode: shout}]}]
                    command_registration: {scope: guild}
                    attachments: {download_dir: ../up}
                work_source: {type: github, repo: not-a-repo}
                session: {timeout: 2 days}
                """, Map.of());
        assertEquals(List.of(
                "mcp_servers.remote.url: an http MCP server needs \"url\"",
                "mcp_servers.typo.comand: Unrecognized key: \"comand\"; did you mean \"command\"? (allowed here: type, "
                        + "command, args, env, url, headers, timeout, alwaysLoad)",
                "hooks.after_run[0].on_events[1]: \"exploded\" is not allowed; expected one of: completed, failed, timeout, "
                        + "cancelled",
                "hooks.after_run[1].url: expected an http(s) URL, got \"not a url\": Illegal character in path",
                "hooks.after_run[2].type: \"carrier-pigeon\" is not allowed; expected one of: shell, webhook, discord, slack",
                "chat.discord.guilds[0].channels[0].mode: \"shout\" is not allowed; expected one of: mention, auto",
                "chat.discord.command_registration.guild_id: guild_id is required when scope is 'guild'",
                "chat.discord.attachments.download_dir: download_dir must be a relative path without '..' segments",
                "work_source.repo: Repository must be in 'owner/repo' format (e.g., 'octocat/hello-world') (got \"not-a-repo\")",
                "session.timeout: Invalid timeout format \"2 days\". Use a number and s, m, h, d or w (e.g., \"30m\", "
                        + "\"24h\", \"1.5h\")"),
                errors(fleet));
    }

    @Test
    void refusesWorkingDirectoriesThatEscapeTheFleet(@TempDir Path outside) throws IOException {
        ConfigProblem tilde = agent("name: a\nworking_directory: ~/projects\n", Map.of()).errors().get(0);
        assertTrue(tilde.message().contains("~ is not expanded"), tilde.message());
        assertEquals("a.yaml:2:20: working_directory: ", tilde.toString().substring(0, 32));
        assertTrue(agent("name: a\nworking_directory: " + outside + "\n", Map.of()).errors().get(0).message()
                .contains("outside the fleet's allowed roots"));
        Files.createSymbolicLink(dir.resolve("sneaky"), outside);
        ConfigProblem link = agent("name: a\nworking_directory: sneaky\n", Map.of()).errors().get(0);
        assertTrue(link.message().contains("(really " + outside.toRealPath() + ")"), link.message());

        Files.writeString(dir.resolve("herdctl.yaml"), "working_directory: {root: " + outside + "}\nagents:\n  - path: a.yaml\n");
        Files.writeString(dir.resolve("a.yaml"), "name: a\nworking_directory: " + outside + "\n");
        LoadedFleet allowed = new FleetLoader(Map.of()).load(dir);
        assertTrue(allowed.accepted(), () -> allowed.errors().toString());
    }

    @Test
    void keepsSecretBearingFieldsUnresolvedAndWarnsAboutSecretsElsewhere() throws IOException {
        LoadedFleet fleet = agent("""
                name: a
                default_prompt: "use ${GITHUB_TOKEN}"
                mcp_servers:
                  gh: {command: gh-mcp, env: {GITHUB_TOKEN: "${GITHUB_TOKEN}"}}
                """, Map.of("GITHUB_TOKEN", "ghp_secret"));
        assertTrue(fleet.accepted(), () -> fleet.errors().toString());
        assertTrue(fleet.warnings().stream().anyMatch(w -> w.path().equals("default_prompt")
                && w.message().contains("looks like a secret")), fleet.warnings()::toString);
        assertTrue(fleet.warnings().stream().noneMatch(w -> w.path().startsWith("mcp_servers")), fleet.warnings()::toString);
        assertEquals("use ${GITHUB_TOKEN}", fleet.agents().get(0).defaultPrompt(), "the runner resolves it, not the topic");
    }
}
