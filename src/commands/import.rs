//! `gongkai import`: an existing bulletin into a notice.

use std::process::ExitCode;

use crate::cli::ImportArgs;
use crate::content::Day;
use crate::diagnostic::Diagnostics;
use crate::import::{self, ImportOptions};

/// `gongkai import`: writes the notice, or prints it with `--dry-run`, and
/// the report of what was recognised.
pub fn run(args: ImportArgs) -> ExitCode {
    let options = ImportOptions {
        root: args.site.root,
        file: args.file,
        out: args.out,
        category_map: args.category_map,
        dry_run: args.dry_run,
        force: args.force,
        today: Day::today(),
    };
    let imported = match import::import(&options) {
        Ok(i) => i,
        Err(errors) => return fail(Diagnostics(errors)),
    };
    if imported.written {
        print!("{}", imported.report);
        println!("已写入（草稿）：{}", imported.path.display());
        println!("请对照原文核对后删掉其中的 draft: true 一行；预览：gongkai serve --drafts");
    } else {
        // The notice on stdout, the report on stderr: `> file` keeps only the notice.
        print!("{}", imported.text);
        eprint!("{}", imported.report);
        eprintln!(
            "（--dry-run：没有写入文件，将写到 {}）",
            imported.path.display()
        );
    }
    let found = Diagnostics(imported.diagnostics);
    if found.has_errors() {
        eprint!("{found}");
        eprintln!("这篇通报还不能生成网站：请按上面的提示修改。");
        return ExitCode::FAILURE;
    }
    if !found.is_empty() {
        eprint!("{found}");
    }
    ExitCode::SUCCESS
}

fn fail(errors: Diagnostics) -> ExitCode {
    eprint!("{errors}");
    ExitCode::FAILURE
}
