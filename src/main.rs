//! The `gongkai` command line: parses arguments and calls the library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use gongkai::commands::build::{self, BuildOptions};

/// gongkai（公开）：党务公开通报静态网站生成器。
///
/// Static site generator for Party-affairs disclosure bulletins (党务公开通报).
#[derive(Parser)]
#[command(name = "gongkai", version, about, long_about = None, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// 生成整个网站到输出目录（默认 public/）。Build the whole site.
    Build(BuildArgs),
}

#[derive(Args)]
struct SiteArgs {
    /// 站点根目录（含 site.yaml 和 content/），默认当前目录。
    /// Site folder (with site.yaml and content/); default: the current folder.
    #[arg(long, value_name = "DIR", default_value = ".")]
    root: PathBuf,
}

#[derive(Args)]
struct BuildArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// 输出目录，默认 <站点根目录>/public。每次生成都会整个替换它。
    /// Output folder; default <root>/public. It is replaced as a whole.
    #[arg(short, long, value_name = "DIR")]
    output: Option<PathBuf>,
    /// 网站的完整地址（如 https://www.example.gov.cn/dwgk/），用于 feed.xml、sitemap.xml
    /// 和 canonical 链接，覆盖 site.yaml 的 base_url。
    /// Absolute URL the site is deployed at (for feed, sitemap, canonical links);
    /// overrides base_url of site.yaml.
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// 同时生成草稿和未审批的通报，仅供预览，不要部署。
    /// Also build drafts and unapproved notices (for previews; do not deploy).
    #[arg(long)]
    drafts: bool,
    /// 显示每个阶段的用时。Show the time each stage took.
    #[arg(short, long)]
    verbose: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build(args) => run_build(args),
    }
}

fn run_build(args: BuildArgs) -> ExitCode {
    let options = BuildOptions {
        root: args.site.root.clone(),
        output: args.output.clone(),
        base_url: args.base_url.clone(),
        drafts: args.drafts,
    };
    match build::build(&options) {
        Ok(report) => {
            for s in &report.skipped {
                eprintln!("未发布：{} —— {}", s.source.display(), s.reason);
            }
            println!(
                "已生成网站：{} 篇通报，{} 个问题，{} 个页面，用时 {:.2} 秒",
                report.notices,
                report.problems,
                report.pages,
                report.elapsed.as_secs_f64()
            );
            println!(
                "输出目录：{}（写入 {} 个文件，{} 个未变）",
                report.output.display(),
                report.write.written,
                report.write.unchanged
            );
            if args.verbose {
                for (stage, time) in &report.stages {
                    println!("  {:>7.3} 秒  {stage}", time.as_secs_f64());
                }
            }
            if options.drafts {
                println!("注意：包含草稿和未审批的通报，仅供预览，请勿部署。");
            }
            ExitCode::SUCCESS
        }
        Err(errors) => {
            eprint!("{errors}");
            let count = errors.errors().count();
            eprintln!(
                "生成失败：共 {count} 个错误。输出目录 {} 没有改动。",
                options.output_dir().display()
            );
            ExitCode::FAILURE
        }
    }
}

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
