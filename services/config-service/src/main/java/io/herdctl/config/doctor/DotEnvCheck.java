package io.herdctl.config.doctor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * The guide's "{@code .env} (never commit to git!)" for the fleet's own
 * {@code .env}: tracked by git is high (the secrets are in the history, for
 * everyone who clones), present but not ignored is low (one {@code git add .}
 * away). Outside a git work tree there is nothing to ask git, so the fleet
 * directory's {@code .gitignore} is read and the answer is only information.
 */
final class DotEnvCheck {

    static final String ID = "dotenv-git";
    static final String ENV_FILE = ".env";

    /** {@code .gitignore} lines that keep {@code .env} out of git. */
    private static final Set<String> IGNORING = Set.of(".env", "/.env", ".env*", "*.env", "/.env*", ".env/");

    private final GitProbe git;

    DotEnvCheck(GitProbe git) {
        this.git = git;
    }

    void check(Path fleetDir, Findings out) {
        Path env = fleetDir.resolve(ENV_FILE);
        if (!Files.isRegularFile(env)) {
            out.file(ID, Severity.OK, ENV_FILE, "no .env in the fleet directory; credentials come from the environment",
                    null);
            return;
        }
        GitProbe.Answer inRepo = git.ask(fleetDir, "rev-parse", "--is-inside-work-tree");
        if (!inRepo.ran() || inRepo.exitCode() != 0) {
            boolean ignored = ignoredByGitignore(fleetDir);
            String why = inRepo.ran() ? "the fleet directory is not in a git work tree" : inRepo.problem();
            out.file(ID, Severity.INFO, ENV_FILE, why + "; its .gitignore " + (ignored ? "lists .env" : "does not list "
                    + ".env"), ignored ? null : "add .env to the fleet directory's .gitignore before it is ever put "
                    + "under version control");
            return;
        }
        GitProbe.Answer tracked = git.ask(fleetDir, "ls-files", "--error-unmatch", "--", ENV_FILE);
        if (tracked.ran() && tracked.exitCode() == 0) {
            out.file(ID, Severity.HIGH, ENV_FILE, ".env is tracked by git: every credential in it is in the repository's "
                    + "history, for everyone who can clone it", "git rm --cached .env, add .env to .gitignore, commit, "
                    + "and rotate every credential it held (the history keeps the old values)");
            return;
        }
        // check-ignore: 0 ignored, 1 not ignored, anything else is git failing.
        GitProbe.Answer ignored = tracked.ran() ? git.ask(fleetDir, "check-ignore", "-q", "--", ENV_FILE) : tracked;
        if (ignored.ran() && ignored.exitCode() == 0) {
            out.file(ID, Severity.OK, ENV_FILE, ".env is not tracked and is ignored by git", null);
        } else if (ignored.ran() && ignored.exitCode() == 1) {
            out.file(ID, Severity.LOW, ENV_FILE, ".env is not tracked, but not ignored either: one `git add .` commits "
                    + "every credential in it", "add .env to .gitignore");
        } else {
            out.file(ID, Severity.INFO, ENV_FILE, "could not ask git about .env: " + ignored.problem(),
                    "check by hand: git ls-files --error-unmatch .env; git check-ignore .env");
        }
    }

    private static boolean ignoredByGitignore(Path fleetDir) {
        Path gitignore = fleetDir.resolve(".gitignore");
        if (!Files.isRegularFile(gitignore)) {
            return false;
        }
        try {
            return Files.readAllLines(gitignore).stream().map(String::strip).anyMatch(IGNORING::contains);
        } catch (IOException e) {
            return false;
        }
    }
}
