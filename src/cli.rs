//! The command line: what each command accepts, as clap parses it. Every
//! text a user reads is Chinese, with English beside it for contractors.
//!
//! The doc comments below are the help text `gongkai --help` prints, written
//! for the terminal rather than for rustdoc.
#![allow(rustdoc::invalid_html_tags, rustdoc::bare_urls)]

use std::path::PathBuf;
use std::process::ExitCode;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use crate::pipeline::Options;

/// gongkai（公开）：党务公开通报静态网站生成器。
/// Static site generator for Party-affairs disclosure bulletins.
#[derive(Parser)]
#[command(name = "gongkai", version)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// 生成整个网站到输出目录（默认 public/）。Build the whole site.
    Build(BuildArgs),
    /// 检查所有通报，不生成网站：格式、个人信息、完整性、审批、链接、日期。
    /// Check every notice without writing anything.
    Check(CheckArgs),
    /// 边写边预览：在本机生成并提供网站，保存文件后浏览器自动刷新（加 --open 打开浏览器）。
    /// Live preview: build, serve, and reload on every change.
    Serve(ServeArgs),
    /// 新建一篇通报，带有每个字段的说明。Create a new notice.
    New(NewArgs),
    /// 把现有的通报（Word 的 .docx、.doc，文本 .txt 或保存的网页）转换成一篇通报，原文内容一个字都不丢。
    /// Import a bulletin from a Word document or a text file.
    Import(ImportArgs),
    /// 把一篇通报导出为 Word 文档（.docx，党政机关公文格式 GB/T 9704），gongkai import 能原样读回。
    /// Export a notice as a Word document in the GB/T 9704 layout.
    Export(ExportArgs),
    /// 在一个新文件夹里创建完整的示例站点。Create a new site.
    Init(InitArgs),
    /// 发布网站：检查通过后生成，只上传改动的文件（zip 压缩包、文件夹、OSS/COS/OBS 等对象存储）。
    /// Deploy: check, build, upload only what changed.
    Deploy(DeployArgs),
    /// 核对网上的网站和最近一次发布是否一致（防篡改），有不同时退出码为 1。
    /// Verify that a deployed site is unchanged.
    Verify(VerifyArgs),
}

#[derive(Args)]
pub struct SiteArgs {
    /// 站点根目录（含 site.yaml 和 content/），默认当前目录。
    /// Site folder (with site.yaml and content/); default: the current folder.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
}

#[derive(Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub site: Options,
    /// 显示每个阶段的用时。Show the time each stage took.
    #[arg(short, long)]
    pub verbose: bool,
}

#[derive(Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub site: Options,
    /// 端口，默认 1111（被占用时自动换下一个）。Port; default 1111 (the next free one if taken).
    #[arg(short, long, value_name = "PORT")]
    pub port: Option<u16>,
    /// 监听地址，默认 127.0.0.1，只允许本机访问。Address to listen on; default 127.0.0.1 (this computer only).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// 启动后在浏览器中打开。Open the preview in a browser.
    #[arg(long)]
    pub open: bool,
    /// 定时检查文件变化（网络磁盘、虚拟机共享文件夹、容器中使用）。
    /// Poll for changes (network drives, shared folders, containers).
    #[arg(long)]
    pub poll: bool,
}

#[derive(Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// 输出格式：text（给人看，默认）或 json（给程序读）。Output format: text (default) or json.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// 有警告也算失败（退出码 1）。Fail on warnings too.
    #[arg(long)]
    pub strict: bool,
    /// 同时检查站外链接（会访问其他网站；每个网站同时只发一个请求，打开正常的链接记住 24 小时）。
    /// Also check links out of the site (asks other servers).
    #[arg(long)]
    pub external: bool,
    /// 每个站外链接最多等多少秒，默认 10。Seconds to wait for each link out of the site.
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0)]
    pub timeout: f64,
    /// 把自查报告（按政府网站检查指标分类的问题清单，可打印）写到这个 HTML 文件。
    /// Write the self-inspection report (自查报告) to this HTML file.
    #[arg(long, value_name = "FILE.html")]
    pub report: Option<std::path::PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Args)]
pub struct ImportArgs {
    /// 要导入的文件：.docx、.doc（Word 97–2003）、.txt（UTF-8、GBK 都可以）或从网站保存的 .html；
    /// 可以写几个，也可以写文件夹（导入其中所有这些文件）。Files to import (.docx, .doc, .txt, .html), or folders of them.
    #[arg(value_name = "文件", required = true)]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub site: SiteArgs,
    /// 写到这个文件，默认 content/notices/<日期>-<发布单位拼音>.md。Output file.
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
    /// 指定类别标题属于哪个问题类别：KEY=标题中的文字，可写多次；KEY=* 指没有类别标题的问题。
    /// Assign headings containing TEXT to category KEY (repeatable); KEY=* for problems
    /// without a heading.
    #[arg(long = "category-map", value_name = "KEY=TEXT")]
    pub category_map: Vec<String>,
    /// 只显示导入结果，不写文件。Print the notice instead of writing it.
    #[arg(long)]
    pub dry_run: bool,
    /// 文件已存在时覆盖。Replace an existing file.
    #[arg(long)]
    pub force: bool,
    /// 报告的格式：text（给人看，默认）或 json（给程序读）。Report format: text (default) or json.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

#[derive(Args)]
pub struct ExportArgs {
    /// 要导出的通报：站点 content/ 里的 .md 文件。The notice (a .md file under content/).
    #[arg(value_name = "通报.md")]
    pub notice: PathBuf,
    #[command(flatten)]
    pub site: SiteArgs,
    /// 导出的格式，目前是 docx（Word，默认）。Format: docx (Word, the default).
    #[arg(long, value_enum, default_value = "docx")]
    pub format: ExportFormat,
    /// 写到这个文件，默认当前文件夹里的 <slug>.docx。Output file; default <slug>.docx here.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// What `gongkai export` writes.
#[derive(Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    Docx,
}

#[derive(Args)]
pub struct NewArgs {
    /// 通报标题。The notice's title.
    #[arg(value_name = "标题")]
    pub title: String,
    #[command(flatten)]
    pub site: SiteArgs,
    /// 发布单位，默认用 site.yaml 的 organization。Issuing body.
    #[arg(long, value_name = "NAME")]
    pub org: Option<String>,
    /// 县里的站点：通报属于哪个单位（site.yaml 里 units 的 slug），写到 content/<slug>/。
    /// The unit (slug) whose column the notice goes to.
    #[arg(long, value_name = "SLUG")]
    pub unit: Option<String>,
    /// 第一个问题的类别（site.yaml 里 categories 的 key）。Category key of the first problem.
    #[arg(long, value_name = "KEY")]
    pub category: Option<String>,
}

#[derive(Args)]
pub struct InitArgs {
    /// 新站点的文件夹（不存在会自动创建）。Folder of the new site.
    #[arg(value_name = "文件夹")]
    pub dir: PathBuf,
    /// 单位名称（发布单位、主办单位）。Name of the issuing body.
    #[arg(long, value_name = "NAME")]
    pub org: Option<String>,
    /// 文件夹不是空的也创建（同名文件会被覆盖）。Allow a folder that is not empty.
    #[arg(long)]
    pub force: bool,
}

/// How to reach object storage (for `deploy` and `verify`).
#[derive(Args)]
pub struct StorageArgs {
    /// 对象存储的访问地址（如 https://oss-cn-hangzhou.aliyuncs.com），覆盖 site.yaml 的 deploy.endpoint。
    /// Object storage endpoint.
    #[arg(long, value_name = "URL")]
    pub endpoint: Option<String>,
    /// 对象存储的地域（如 cn-hangzhou），覆盖 site.yaml 的 deploy.region。Region.
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
    /// 从站点以外的 ~/.aws/credentials 中读取这一节的密钥（默认读环境变量
    /// AWS_ACCESS_KEY_ID、AWS_SECRET_ACCESS_KEY）。Credentials profile.
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
}

#[derive(Args)]
pub struct DeployArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// 发布目标：zip:文件.zip、folder:文件夹 或 s3://存储桶/前缀；默认用 site.yaml 的 deploy.to。
    /// Target: zip:FILE, folder:PATH or s3://BUCKET/PREFIX.
    #[arg(long, value_name = "TARGET")]
    pub to: Option<String>,
    #[command(flatten)]
    pub storage: StorageArgs,
    /// 只发布一个单位的栏目（site.yaml 里 units 的 slug）。Only one unit's column.
    #[arg(long, value_name = "SLUG")]
    pub unit: Option<String>,
    /// 只显示发布计划，不改动任何文件。Show the plan, change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// 不询问，直接发布（用于脚本）。Do not ask for confirmation.
    #[arg(short, long)]
    pub yes: bool,
    /// 一次最多删除多少个文件，默认 256。Most files to delete without --force.
    #[arg(long, value_name = "N")]
    pub max_deletes: Option<usize>,
    /// 要删除的文件超过上限也照样发布。Delete more than --max-deletes.
    #[arg(long)]
    pub force: bool,
    /// 显示每一步的用时。Show the time each step took.
    #[arg(short, long)]
    pub verbose: bool,
}

#[derive(Args)]
pub struct VerifyArgs {
    /// 要核对的地方：网址 https://…/、zip:文件、folder:文件夹 或 s3://存储桶/前缀；
    /// 默认用 site.yaml 的 deploy.to。Site URL or target; default deploy.to of site.yaml.
    #[arg(value_name = "目标或网址")]
    pub target: Option<String>,
    #[command(flatten)]
    pub site: SiteArgs,
    #[command(flatten)]
    pub storage: StorageArgs,
}

/// The headings and texts clap would print in English.
const USAGE_TEMPLATE: &str =
    "{before-help}{about-with-newline}\n用法 Usage: {usage}\n\n{all-args}{after-help}";
const OPTIONS: &str = "选项 Options";
const ARGUMENTS: &str = "参数 Arguments";

/// Parses the command line; on a mistake (or for `--help`, `--version`)
/// prints what to say, in Chinese, and returns the exit code.
pub fn parse() -> Result<Cli, ExitCode> {
    let matches = command().try_get_matches().map_err(|e| report(&e))?;
    Cli::from_arg_matches(&matches).map_err(|e| report(&e))
}

/// The command line's definition with every heading, flag and usage line
/// in Chinese (English beside it).
pub fn command() -> clap::Command {
    let top = Cli::command()
        .disable_help_subcommand(true)
        .disable_version_flag(true)
        .subcommand_help_heading("命令 Commands")
        .subcommand_value_name("命令")
        .override_usage("gongkai <命令> [选项]")
        .arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("显示版本 Print version")
                .help_heading(OPTIONS),
        );
    localize(top).mut_subcommands(|sub| {
        let name = sub.get_name().to_string();
        let positionals: String = sub
            .get_positionals()
            .map(|a| {
                let names = a.get_value_names().unwrap_or_default();
                let value = names.first().map_or("值", |n| n.as_str());
                format!(" <{value}>")
            })
            .collect();
        localize(sub).override_usage(format!("gongkai {name} [选项]{positionals}"))
    })
}

/// Headings, help flag and hidden English annotations of one command.
fn localize(cmd: clap::Command) -> clap::Command {
    cmd.help_template(USAGE_TEMPLATE)
        .disable_help_flag(true)
        .mut_args(|a| {
            let heading = if a.is_positional() {
                ARGUMENTS
            } else {
                OPTIONS
            };
            let a = a.help_heading(heading);
            if a.get_action().takes_values() {
                // The help texts say the defaults and the choices in Chinese.
                a.hide_default_value(true).hide_possible_values(true)
            } else {
                a
            }
        })
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("显示帮助 Print help")
                .help_heading(OPTIONS),
        )
}

/// Prints a parse error (or the help) as a user should read it.
fn report(e: &clap::Error) -> ExitCode {
    match e.kind() {
        // The help, in colour only on a terminal.
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            return ExitCode::from(2);
        }
        _ => {}
    }
    let context = |kind: ContextKind| match e.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(v)) => Some(v.join("、")),
        Some(ContextValue::StyledStr(s)) => Some(s.to_string()),
        Some(ContextValue::StyledStrs(v)) => Some(
            v.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("、"),
        ),
        _ => None,
    };
    let invalid = context(ContextKind::InvalidArg).unwrap_or_default();
    let value = context(ContextKind::InvalidValue).unwrap_or_default();
    let message = match e.kind() {
        ErrorKind::InvalidSubcommand => format!(
            "没有“{}”这个命令",
            context(ContextKind::InvalidSubcommand).unwrap_or_default()
        ),
        ErrorKind::UnknownArgument => format!("不认识的选项“{invalid}”"),
        ErrorKind::MissingRequiredArgument => format!("缺少必须写的参数 {invalid}"),
        ErrorKind::MissingSubcommand => "缺少命令".to_string(),
        ErrorKind::InvalidValue => {
            let valid = context(ContextKind::ValidValue)
                .filter(|v| !v.is_empty())
                .map(|v| format!("，可用的值：{v}"))
                .unwrap_or_default();
            if value.is_empty() {
                format!("{invalid} 后面要写一个值{valid}")
            } else {
                format!("{invalid} 的值“{value}”不对{valid}")
            }
        }
        ErrorKind::ValueValidation => {
            let expected = if invalid.starts_with("--port") {
                "：端口要写 1 到 65535 之间的整数，例如 --port 8080"
            } else {
                ""
            };
            let why = std::error::Error::source(&e)
                .map(|s| format!("（{s}）"))
                .unwrap_or_default();
            format!("{invalid} 的值“{value}”不对{expected}{why}")
        }
        ErrorKind::ArgumentConflict => format!("{invalid} 不能和其他选项一起用"),
        ErrorKind::NoEquals => format!("{invalid} 的值要用 = 连着写"),
        ErrorKind::TooManyValues | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("{invalid} 写了太多次或太多个值")
        }
        _ => "命令行参数不对".to_string(),
    };
    eprintln!("错误：{message}");
    let suggested =
        context(ContextKind::SuggestedSubcommand).or_else(|| context(ContextKind::SuggestedArg));
    if let Some(s) = suggested {
        eprintln!("  = 提示：是不是想写 {s}？");
    }
    if let Some(usage) = context(ContextKind::Usage) {
        eprintln!("\n用法 Usage: {}", usage.trim_start_matches("Usage: "));
    }
    eprintln!("\n用 gongkai --help 查看所有命令，gongkai <命令> --help 查看一个命令的选项。");
    eprintln!("(in English: {})", e.kind());
    ExitCode::from(2)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_command_line_is_well_formed() {
        super::command().debug_assert();
    }
}
