//! The `gongkai` command line: parses arguments and calls the library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use gongkai::Diagnostics;
use gongkai::commands::build::{self, BuildOptions};
use gongkai::commands::check;
use gongkai::commands::init::{self, InitOptions};
use gongkai::commands::new::{self, NewOptions};
use gongkai::content::Day;
use gongkai::import::{self, ImportOptions};
use gongkai::serve::{self, ServeOptions, Server};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// gongkai（公开）：党务公开通报静态网站生成器。
/// Static site generator for Party-affairs disclosure bulletins.
#[derive(Parser)]
#[command(name = "gongkai", version, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// 生成整个网站到输出目录（默认 public/）。Build the whole site.
    Build(BuildArgs),
    /// 检查所有通报，不生成网站：格式、个人信息、完整性、审批、链接、日期。
    /// Check every notice without writing anything.
    Check(CheckArgs),
    /// 边写边预览：生成网站并在浏览器中打开，保存文件后自动刷新。
    /// Live preview: build, serve, and reload on every change.
    Serve(ServeArgs),
    /// 新建一篇通报，带有每个字段的说明。Create a new notice.
    New(NewArgs),
    /// 把现有的通报（Word 的 .docx 或文本 .txt）转换成一篇通报，原文内容一个字都不丢。
    /// Import a bulletin from a Word document or a text file.
    Import(ImportArgs),
    /// 在一个新文件夹里创建完整的示例站点。Create a new site.
    Init(InitArgs),
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
    /// 输出目录，默认 <站点根目录>/public。
    /// Output folder; default <root>/public.
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

#[derive(Args)]
struct ServeArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// 端口，默认 1111（被占用时自动换下一个）。Port; default 1111 (the next free one if taken).
    #[arg(short, long, value_name = "PORT")]
    port: Option<u16>,
    /// 监听地址，默认只允许本机访问。Address to listen on; default: this computer only.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    bind: std::net::IpAddr,
    /// 同时预览草稿和未审批的通报。Also show drafts and unapproved notices.
    #[arg(long)]
    drafts: bool,
    /// 启动后在浏览器中打开。Open the preview in a browser.
    #[arg(long)]
    open: bool,
    /// 定时检查文件变化（网络磁盘、虚拟机共享文件夹、容器中使用）。
    /// Poll for changes (network drives, shared folders, containers).
    #[arg(long)]
    poll: bool,
}

#[derive(Args)]
struct CheckArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// 输出格式：text（给人看）或 json（给程序读）。Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// 有警告也算失败（退出码 1）。Fail on warnings too.
    #[arg(long)]
    strict: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Args)]
struct ImportArgs {
    /// 要导入的文件：.docx，或 .txt（UTF-8、GBK 都可以）。The .docx or .txt file.
    file: PathBuf,
    #[command(flatten)]
    site: SiteArgs,
    /// 写到这个文件，默认 content/notices/<日期>-<发布单位拼音>.md。Output file.
    #[arg(long, value_name = "PATH")]
    out: Option<PathBuf>,
    /// 指定类别标题属于哪个问题类别：KEY=标题中的文字，可写多次；KEY=* 指没有类别标题的问题。
    /// Assign headings containing TEXT to category KEY (repeatable); KEY=* for problems
    /// without a heading.
    #[arg(long = "category-map", value_name = "KEY=TEXT")]
    category_map: Vec<String>,
    /// 只显示导入结果，不写文件。Print the notice instead of writing it.
    #[arg(long)]
    dry_run: bool,
    /// 文件已存在时覆盖。Replace an existing file.
    #[arg(long)]
    force: bool,
}

#[derive(Args)]
struct NewArgs {
    /// 通报标题。The notice's title.
    title: String,
    #[command(flatten)]
    site: SiteArgs,
    /// 发布单位，默认用 site.yaml 的 organization。Issuing body.
    #[arg(long, value_name = "NAME")]
    org: Option<String>,
    /// 第一个问题的类别（site.yaml 里 categories 的 key）。Category key of the first problem.
    #[arg(long, value_name = "KEY")]
    category: Option<String>,
}

#[derive(Args)]
struct InitArgs {
    /// 新站点的文件夹（不存在会自动创建）。Folder of the new site.
    dir: PathBuf,
    /// 单位名称（发布单位、主办单位）。Name of the issuing body.
    #[arg(long, value_name = "NAME")]
    org: Option<String>,
    /// 文件夹不是空的也创建（同名文件会被覆盖）。Allow a folder that is not empty.
    #[arg(long)]
    force: bool,
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Build(args) => run_build(args),
        Command::Check(args) => run_check(args),
        Command::Serve(args) => run_serve(args),
        Command::New(args) => run_new(args),
        Command::Import(args) => run_import(args),
        Command::Init(args) => run_init(args),
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
                "输出目录：{}（写入 {} 个文件，{} 个未变，删除 {} 个）",
                report.output.display(),
                report.write.written,
                report.write.unchanged,
                report.write.removed
            );
            if !report.warnings.is_empty() {
                println!(
                    "另有 {} 条提示，运行 gongkai check 查看。",
                    report.warnings.len()
                );
            }
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
            eprintln!(
                "生成失败：共 {} 个错误。输出目录 {} 没有改动。",
                errors.errors().count(),
                options.output_dir().display()
            );
            ExitCode::FAILURE
        }
    }
}

fn run_check(args: CheckArgs) -> ExitCode {
    let found = check::check(&args.site.root);
    let (errors, warnings) = (found.errors().count(), found.warnings().count());
    match args.format {
        Format::Json => println!("{}", check::to_json(&found)),
        Format::Text => {
            print!("{found}");
            match (errors, warnings) {
                (0, 0) => println!("检查完成：没有发现问题。"),
                _ => println!("检查完成：{errors} 个错误，{warnings} 个警告。"),
            }
        }
    }
    if errors > 0 || (args.strict && warnings > 0) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn run_serve(args: ServeArgs) -> ExitCode {
    let options = ServeOptions {
        root: args.site.root,
        bind: args.bind,
        port: args.port.unwrap_or(serve::DEFAULT_PORT),
        port_given: args.port.is_some(),
        drafts: args.drafts,
        poll: args.poll,
        verbose: true,
    };
    if options.bind.is_unspecified() || !options.bind.is_loopback() {
        eprintln!(
            "警告：预览对本机以外开放（{}），同一网络中的其他电脑也能看到，其中可能有草稿和未审批的内容。",
            options.bind
        );
    }
    let server = match Server::start(options) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("错误：{e}");
            return ExitCode::FAILURE;
        }
    };
    println!("正在预览：{}  （按 Ctrl-C 停止）", server.url());
    if args.drafts {
        println!("注意：预览包含草稿和未审批的通报。");
    }
    if args.open {
        open_browser(&server.url());
    }
    if let Err(e) = wait_for_stop() {
        eprintln!("错误：无法等待 Ctrl-C：{e}");
    }
    println!("正在停止预览……");
    server.stop();
    ExitCode::SUCCESS
}

/// Waits for Ctrl-C (or, on Unix, a request to terminate).
fn wait_for_stop() -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        #[cfg(unix)]
        {
            let mut terminate =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
            tokio::select! {
                r = tokio::signal::ctrl_c() => r,
                _ = terminate.recv() => Ok(()),
            }
        }
        #[cfg(not(unix))]
        tokio::signal::ctrl_c().await
    })
}

/// Opens `url` in the default browser.
fn open_browser(url: &str) {
    let (program, args): (&str, Vec<&str>) = if cfg!(target_os = "windows") {
        ("cmd", vec!["/C", "start", "", url])
    } else if cfg!(target_os = "macos") {
        ("open", vec![url])
    } else {
        ("xdg-open", vec![url])
    };
    if std::process::Command::new(program)
        .args(&args)
        .spawn()
        .is_err()
    {
        eprintln!("无法自动打开浏览器，请手动打开 {url}");
    }
}

fn run_import(args: ImportArgs) -> ExitCode {
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

fn run_new(args: NewArgs) -> ExitCode {
    let options = NewOptions {
        root: args.site.root.clone(),
        title: args.title,
        organization: args.org,
        category: args.category,
        date: Day::today(),
    };
    match new::new_notice(&options) {
        Ok(path) => {
            println!("{}", args.site.root.join(&path).display());
            eprintln!(
                "已新建通报（草稿）。写完后删掉其中的 draft: true 一行，再运行 gongkai build。"
            );
            ExitCode::SUCCESS
        }
        Err(errors) => fail(Diagnostics(errors)),
    }
}

fn run_init(args: InitArgs) -> ExitCode {
    let options = InitOptions {
        dir: args.dir.clone(),
        organization: args.org,
        force: args.force,
        date: Day::today(),
    };
    match init::init(&options) {
        Ok(files) => {
            println!("已创建站点 {}：", args.dir.display());
            for f in files {
                println!("  {}", f.display());
            }
            println!(
                "下一步：修改 site.yaml，然后运行 gongkai build --root {}",
                args.dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(error) => fail(Diagnostics(vec![error])),
    }
}

fn fail(errors: Diagnostics) -> ExitCode {
    eprint!("{errors}");
    ExitCode::FAILURE
}
