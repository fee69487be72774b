//! The README tells the truth about what the code does.

use std::collections::BTreeSet;

use crate::support::*;
use gongkai::diagnostic::Code;

/// The codes in the first column of the README's table of codes.
fn readme_codes() -> BTreeSet<String> {
    let readme = read(&repo(), "README.md");
    let table = readme
        .split("| 代码 | 级别 | 什么情况 |")
        .nth(1)
        .expect("the table of codes");
    table
        .lines()
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .flat_map(|row| {
            let first = row.split('|').nth(1).unwrap_or("");
            first
                .split('`')
                .skip(1)
                .step_by(2)
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn the_table_of_codes_lists_every_code_and_only_those() {
    let in_code: BTreeSet<String> = Code::ALL.iter().map(|c| c.to_string()).collect();
    let in_readme = readme_codes();
    let missing: Vec<_> = in_code.difference(&in_readme).collect();
    let unknown: Vec<_> = in_readme.difference(&in_code).collect();
    assert!(
        missing.is_empty() && unknown.is_empty(),
        "not in the README: {missing:?}; not in the code: {unknown:?}"
    );
}

#[test]
fn the_first_lines_are_the_commands_that_set_up_and_test() {
    let readme = read(&repo(), "README.md");
    let first_block = readme.split("```").nth(1).unwrap();
    assert!(first_block.contains("cargo run --release -- build"));
    assert!(first_block.contains("cargo test"));
    let ci = read(&repo(), ".ci/run");
    assert!(ci.contains("cargo test -- --include-ignored"));
    assert!(readme.contains("cargo test -- --include-ignored"));
}
