//! Snapshots of `--help` of every command and subcommand (issue 10): a flag, a default or a
//! help text that changes shows up in review as a changed `.snap` file.
//!
//! The commands are found by walking the `Commands:` lists of the help itself, so a new
//! command gets its snapshot without anyone remembering to add it here.

use std::process::Command;

/// `lajna ARGS --help` as a user's shell runs it, minus what would make the text depend on the
/// machine: `LAJNA_DATA` would show as `[env: LAJNA_DATA=...]` (so would `LAJNA_CONFIG`), and
/// forced colours as escapes.
fn help(path: &[String]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_lajna"))
        .args(path)
        .arg("--help")
        .env_remove("LAJNA_DATA")
        .env_remove("LAJNA_CONFIG")
        .env_remove("CLICOLOR_FORCE")
        .env("NO_COLOR", "1")
        .output()
        .expect("run lajna");
    let stdout = String::from_utf8(out.stdout).expect("help is UTF-8");
    assert!(out.status.success(), "lajna {path:?} --help: {}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stderr.is_empty(), "lajna {path:?} --help wrote to stderr");
    stdout
}

/// The subcommand names listed under `Commands:` (clap's own `help` left out).
fn subcommands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| *l != "Commands:")
        .skip(1)
        .take_while(|l| !l.is_empty())
        // A name starts at column 2; a wrapped description is indented further.
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_string)
        .collect()
}

/// Every command path, depth first: `[]` (lajna itself), `[init]`, …, `[bundle, export]`, …
fn every_command() -> Vec<(Vec<String>, String)> {
    let mut found = Vec::new();
    let mut todo = vec![Vec::new()];
    while let Some(path) = todo.pop() {
        let text = help(&path);
        for name in subcommands(&text).into_iter().rev() {
            let mut child = path.clone();
            child.push(name);
            todo.push(child);
        }
        found.push((path, text));
    }
    found
}

#[test]
fn the_help_of_every_command_is_as_snapshotted() {
    let all = every_command();
    let names: Vec<String> = all.iter().map(|(path, _)| path.join(" ")).collect();
    // The walk must reach the nested commands, or it would pass by snapshotting nothing.
    for expected in ["", "init", "demo", "serve", "bundle export", "keys new-root", "user add", "feed new", "doc add"] {
        assert!(names.iter().any(|n| n == expected), "no help walked for {expected:?} in {names:?}");
    }
    for (path, text) in all {
        let name = if path.is_empty() { "lajna".to_string() } else { format!("lajna-{}", path.join("-")) };
        let command = ["lajna"].into_iter().chain(path.iter().map(String::as_str)).chain(["--help"]);
        insta::assert_snapshot!(name, text, &command.collect::<Vec<_>>().join(" "));
    }
}
