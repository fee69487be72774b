//! `gongkai deploy`: shows the plan, asks, deploys, tells what it did. The
//! work is [`crate::deploy::deploy`]'s.

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::cli::DeployArgs;
use crate::content::Day;
use crate::deploy::sync::{Control, Progress, Step};
use crate::deploy::{DeployOptions, Deployed, Outcome, Preview, deploy};
use crate::folders::DEPLOY_LOG;

/// Set by Ctrl-C: the deploy starts no new request and stops.
static STOP: AtomicBool = AtomicBool::new(false);

/// `gongkai deploy`.
pub fn run(args: DeployArgs) -> ExitCode {
    let options = DeployOptions {
        root: args.site.root,
        to: args.to,
        endpoint: args.storage.endpoint,
        region: args.storage.region,
        profile: args.storage.profile,
        dry_run: args.dry_run,
        max_deletes: args.max_deletes,
        force: args.force,
        today: Day::today(),
        unit: args.unit,
    };
    on_ctrl_c();
    let (yes, verbose) = (args.yes, args.verbose);
    let mut confirm = |preview: &Preview<'_>| {
        show(preview.target, preview.plan, preview.warnings);
        yes || ask(preview.target)
    };
    let terminal = std::io::stderr().is_terminal();
    let progress = move |p: Progress| {
        if terminal && p.step != Step::Manifest {
            let verb = if p.step == Step::Upload {
                "上传"
            } else {
                "删除"
            };
            eprint!("\r{verb} {}/{}", p.done, p.total);
            if p.done == p.total {
                eprintln!();
            }
        }
    };
    let control = Control {
        stop: &STOP,
        progress: &progress,
    };
    match deploy(&options, &mut confirm, &control) {
        Ok(deployed) => {
            let code = tell(&deployed);
            if verbose {
                for (stage, time) in &deployed.stages {
                    println!("  {:>7.3} 秒  {stage}", time.as_secs_f64());
                }
            }
            code
        }
        Err(errors) => {
            if terminal {
                eprintln!();
            }
            eprint!("{errors}");
            eprintln!("没有发布完成（共 {} 个错误）。", errors.error_count());
            ExitCode::FAILURE
        }
    }
}

/// The plan and the warnings, as shown before the confirmation.
fn show(target: &str, plan: &crate::deploy::plan::Plan, warnings: &[String]) {
    for w in warnings {
        println!("警告：{w}");
    }
    let first = if plan.first {
        "（第一次发布到这里）"
    } else {
        ""
    };
    println!("发布计划：{target}{first}");
    print!("{plan}");
}

/// Asks on the terminal; anywhere else (a script, cron) the answer is no.
fn ask(target: &str) -> bool {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        println!("没有确认：不是在终端里运行。确认无误后请加 --yes。");
        return false;
    }
    print!("确认发布到 {target} 吗？输入 y 回车继续 [y/N] ");
    let _ = std::io::stdout().flush();
    let mut answer = String::new();
    if stdin.lock().read_line(&mut answer).is_err() {
        return false;
    }
    matches!(answer.trim(), "y" | "Y" | "yes" | "是")
}

fn tell(deployed: &Deployed) -> ExitCode {
    let target = &deployed.target;
    match &deployed.outcome {
        Outcome::Done { synced, record } => {
            println!(
                "已发布到 {target}：上传 {} 个文件，删除 {} 个；共 {} 个文件，清单 sha256:{}",
                synced.uploaded,
                synced.deleted,
                deployed.files,
                deployed.digest.short()
            );
            match record {
                Ok(_) => println!("已写入发布记录 {DEPLOY_LOG}（请和站点一起提交到 git）。"),
                Err(why) => {
                    eprintln!("警告：网站已发布，但发布记录没有写入：{why}");
                    return ExitCode::FAILURE;
                }
            }
        }
        Outcome::UpToDate => {
            for w in &deployed.warnings {
                println!("警告：{w}");
            }
            println!(
                "{target} 已是最新：{} 个文件与这次生成的完全相同，没有上传。",
                deployed.files
            );
        }
        Outcome::DryRun => {
            show(target, &deployed.plan, &deployed.warnings);
            println!("这是试运行（--dry-run），没有改动任何文件。");
        }
        Outcome::Declined => println!("已取消，没有改动任何文件。"),
    }
    ExitCode::SUCCESS
}

/// The first Ctrl-C lets the requests under way finish and stops; the
/// second ends the program at once.
fn on_ctrl_c() {
    std::thread::spawn(|| {
        let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        else {
            return;
        };
        runtime.block_on(async {
            while tokio::signal::ctrl_c().await.is_ok() {
                if STOP.swap(true, Ordering::SeqCst) {
                    eprintln!("\n再次按下 Ctrl-C，立即退出。下次运行 gongkai deploy 会接着完成。");
                    std::process::exit(130);
                }
                eprintln!("\n正在停止：等正在进行的上传结束……（再按一次 Ctrl-C 立即退出）");
            }
        });
    });
}
