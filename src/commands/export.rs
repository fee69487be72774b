//! `gongkai export`: one notice's Word copy (GB/T 9704), made by
//! [`docx::word_copy`] from the notice as the site reads it.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::cli::ExportArgs;
use crate::config::SiteConfig;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::{docx, load};

/// What `export` wrote.
#[derive(Debug)]
pub struct Exported {
    pub file: PathBuf,
    pub bytes: usize,
    /// What the notice's checks found that does not stop it.
    pub warnings: Vec<Diagnostic>,
}

/// `gongkai export`.
pub fn run(args: ExportArgs) -> ExitCode {
    match export(&args.site.root, &args.notice, args.out.as_deref()) {
        Ok(done) => {
            if !done.warnings.is_empty() {
                eprint!("{}", Diagnostics(done.warnings));
            }
            println!(
                "已导出 Word 版 Exported：{}（{} KB）",
                done.file.display(),
                done.bytes.div_ceil(1024)
            );
            ExitCode::SUCCESS
        }
        Err(errors) => {
            eprint!("{}", Diagnostics(errors));
            ExitCode::FAILURE
        }
    }
}

/// Writes the Word copy of the notice file `notice` of the site at `root`
/// to `out` (default: `<slug>.docx` in the current folder). Fails with
/// the notice's errors, as `build` would report them.
pub fn export(root: &Path, notice: &Path, out: Option<&Path>) -> Result<Exported, Vec<Diagnostic>> {
    let config = SiteConfig::load(root)?;
    let rel = inside_site(root, notice).map_err(|d| vec![d])?;
    let (notice, warnings) = load::load_file(root, &rel, Some(&config))?;
    let bytes = docx::word_copy(&notice, &config).map_err(|e| {
        vec![
            Diagnostic::error(Code::Output, &rel, format!("无法生成 Word 文档：{e}"))
                .help("这是 gongkai 的问题，不是通报写错了：请把这条信息报告给维护网站的人。"),
        ]
    })?;
    let file = out.map_or_else(
        || PathBuf::from(format!("{}.docx", notice.slug)),
        Path::to_path_buf,
    );
    std::fs::write(&file, &bytes).map_err(|e| {
        vec![
            Diagnostic::error(Code::Output, &file, format!("无法写入：{e}"))
                .help("请检查文件夹是否存在、有没有写入权限，或用 --out 换一个位置。"),
        ]
    })?;
    Ok(Exported {
        file,
        bytes: bytes.len(),
        warnings,
    })
}

/// The notice's path inside the site: `notice` as given (from the current
/// folder), or relative to the site folder.
fn inside_site(root: &Path, notice: &Path) -> Result<PathBuf, Diagnostic> {
    let canonical = |p: &Path| std::fs::canonicalize(p).ok();
    let site = canonical(root);
    let candidates = [
        Some(notice.to_path_buf()),
        (!notice.is_absolute()).then(|| root.join(notice)),
    ];
    for path in candidates.into_iter().flatten() {
        if let (Some(site), Some(file)) = (&site, canonical(&path))
            && let Ok(rel) = file.strip_prefix(site)
        {
            return Ok(rel.to_path_buf());
        }
    }
    let missing = !notice.exists() && !root.join(notice).exists();
    let message = if missing {
        format!("找不到通报 {}", notice.display())
    } else {
        format!("{} 不在站点 {} 里", notice.display(), root.display())
    };
    Err(Diagnostic::error(Code::Io, notice, message).help(
        "请写站点 content/ 里的一篇通报（.md），站点不在当前文件夹时用 --root 指明站点文件夹。",
    ))
}
