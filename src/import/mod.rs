//! `gongkai import`: existing bulletins, as Word documents, as text copied
//! out of them or as saved web pages, turned into notices of the site.
//!
//! The workspace's `gongkai-import` crate recognises each file into a
//! draft, placing its problems among the site's categories. This side
//! knows the site: it reads `--category-map` against the site's
//! categories (`category_map`), resolves the date and the issuing body
//! with the site's defaults, places the bulletin in its unit and county
//! round (`county`), follows the round against the notices the site
//! already has (`series`), numbers it (`numbering`), writes the notice
//! (`write`), checks it exactly as `build` checks notices, and reports
//! what it did (`report`, `county_report`).
//!
//! Files are recognised in parallel, then numbered one after the other
//! (so that the numbers follow the order of publication and none is
//! given twice), then written and checked in parallel; this module runs
//! them.

mod category_map;
pub mod county;
pub mod county_report;
pub mod numbering;
mod prepare;
mod report;
pub mod series;
mod write;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::SiteConfig;
use crate::content::{Day, Notice, UnitId};
use crate::diagnostic::{Code, Diagnostic};
use crate::load;
use prepare::Prepared;
pub use report::Report;

/// What `gongkai import` was asked for.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The site: its `site.yaml` gives the categories.
    pub root: PathBuf,
    /// The `.docx`, `.txt` and `.html` files to import, and folders of them.
    pub files: Vec<PathBuf>,
    /// Where to write the notice, instead of `content/<unit>/<date>-<unit>.md`
    /// or `content/notices/<date>-<body>.md` (one file only).
    pub out: Option<PathBuf>,
    /// `KEY=TEXT`: a category heading containing TEXT belongs to KEY.
    pub category_map: Vec<String>,
    /// Only show the notice; write nothing.
    pub dry_run: bool,
    /// Replace an existing file.
    pub force: bool,
    /// For the date of the import, and the date of a notice without one.
    pub today: Day,
}

/// The imported notice.
#[derive(Debug)]
pub struct Imported {
    /// Where it was written (or would be, with `--dry-run`).
    pub path: PathBuf,
    pub text: String,
    pub report: Report,
    /// What checking the notice as `build` does found: errors (a personal
    /// number in the text, say) mean the notice does not build yet.
    pub diagnostics: Vec<Diagnostic>,
    /// Another file of the same import would have had its name: this one
    /// got a number added.
    pub renamed_from: Option<PathBuf>,
}

/// One source file and what became of it.
#[derive(Debug)]
pub struct FileImport {
    pub file: PathBuf,
    pub outcome: Result<Imported, Vec<Diagnostic>>,
}

/// What every file of one import shares.
struct Context<'a> {
    options: &'a ImportOptions,
    config: SiteConfig,
    map: Vec<(String, String)>,
    /// The site's notices, to continue a round it has.
    notices: Vec<Arc<Notice>>,
    /// The unit of each of them.
    units: Vec<Option<UnitId>>,
    /// Their 索引号, by path (under the root).
    numbers: HashMap<PathBuf, String>,
}

/// The extensions `import` reads in a folder.
const IMPORTED: [&str; 8] = ["docx", "doc", "wps", "txt", "html", "htm", "shtml", "xhtml"];

/// Imports every file of `options.files` (folders: every `.docx`, `.doc`,
/// `.txt` and `.html` in them) into the site. Fails only when the site cannot be
/// imported into; a file that cannot be read fails alone, in its result.
pub fn import(options: &ImportOptions) -> Result<Vec<FileImport>, Vec<Diagnostic>> {
    let config = SiteConfig::load(&options.root)?;
    let map = category_map::category_map(&options.category_map, &config)?;
    let files = expand(&options.files)?;
    if options.out.is_some() && files.len() > 1 {
        return Err(vec![
            Diagnostic::error(
                Code::ImportMap,
                "--out",
                format!("--out 只能用于导入一个文件，这次有 {} 个", files.len()),
            )
            .help("导入多个文件时不写 --out，每篇通报写到 content/notices/ 下各自的文件里。"),
        ]);
    }
    let notices = load::Notices::read_all(&options.root, Some(&config)).into_valid();
    let units = notices
        .iter()
        .map(|n| county::unit_of_notice(&config, n))
        .collect();
    let numbers = notices
        .iter()
        .filter_map(|n| Some((options.root.join(&n.source), n.index_number.clone()?)))
        .collect();
    let ctx = Context {
        options,
        config,
        map,
        notices,
        units,
        numbers,
    };
    let mut prepared: Vec<(PathBuf, Result<Prepared, Vec<Diagnostic>>)> = files
        .par_iter()
        .map(|file| (file.clone(), prepare::prepare(file, &ctx)))
        .collect();
    distinct_names(&mut prepared);
    if !options.dry_run && !options.force {
        for (_, r) in &mut prepared {
            // A link that points nowhere is there too: writing would create its target.
            if let Ok(p) = r
                && p.path.symlink_metadata().is_ok()
            {
                *r = Err(exists(&shown(options, &p.path)));
            }
        }
    }
    number(&mut prepared, &ctx);
    let mut results: Vec<FileImport> = prepared
        .into_par_iter()
        .map(|(file, r)| FileImport {
            file,
            outcome: r.map(|p| prepare::finish(p, &ctx)),
        })
        .collect();
    for r in &mut results {
        if let Ok(imported) = &r.outcome
            && !options.dry_run
        {
            let shown = shown(options, &imported.path);
            let written = write_new(&options.root, imported, options.force, &shown);
            if let Err(e) = written {
                r.outcome = Err(e);
            }
        }
    }
    Ok(results)
}

/// Gives each notice its 索引号, when the site numbers its notices.
fn number(prepared: &mut [(PathBuf, Result<Prepared, Vec<Diagnostic>>)], ctx: &Context<'_>) {
    let Some(pattern) = &ctx.config.index_number else {
        return;
    };
    let mut todo: Vec<&mut Prepared> = prepared
        .iter_mut()
        .filter_map(|(_, r)| r.as_mut().ok())
        .collect();
    let asked: Vec<numbering::Numbering> = todo
        .iter()
        .map(|p| numbering::Numbering {
            path: p.path.clone(),
            date: p.date,
            unit: p.unit_id(),
            has_units: !ctx.config.units.is_empty(),
        })
        .collect();
    let numbers = numbering::number(pattern, &ctx.config, &ctx.numbers, &asked);
    for (p, n) in todo.iter_mut().zip(numbers) {
        p.number = Some(n);
    }
}

/// The units to add to `site.yaml` for the bodies of an import that no
/// unit is called by, as lines to paste; `None` when there are none.
pub fn proposals(results: &[FileImport]) -> Option<String> {
    county_report::proposals(
        results
            .iter()
            .filter_map(|r| r.outcome.as_ref().ok())
            .map(|i| &i.report.county),
    )
}

/// The files to import: files as given, folders as the files in them.
fn expand(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Vec<Diagnostic>> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found: Vec<PathBuf> = walkdir::WalkDir::new(path)
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
                .map(|e| e.into_path())
                .filter(|p| {
                    let name = p
                        .file_name()
                        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
                    let ext = p
                        .extension()
                        .map_or_else(String::new, |e| e.to_string_lossy().to_lowercase());
                    IMPORTED.contains(&ext.as_str()) && !crate::folders::is_ignored(&name)
                })
                .collect();
            found.sort();
            files.extend(found);
        } else {
            files.push(path.clone());
        }
    }
    if files.is_empty() {
        return Err(vec![
            Diagnostic::error(
                Code::ImportEmpty,
                paths.first().map_or_else(PathBuf::new, Clone::clone),
                "没有找到要导入的文件",
            )
            .help("请给出 .docx、.doc、.txt 或 .html 文件，或者装着它们的文件夹。"),
        ]);
    }
    Ok(files)
}

/// Where a notice is shown in messages: relative to the site, or as `--out`.
fn shown(options: &ImportOptions, path: &Path) -> PathBuf {
    if options.out.is_some() {
        path.to_path_buf()
    } else {
        path.strip_prefix(&options.root)
            .map_or_else(|_| path.to_path_buf(), Path::to_path_buf)
    }
}

/// Two files of one import that would get one name: the later ones get
/// `-2`, `-3`.
fn distinct_names(prepared: &mut [(PathBuf, Result<Prepared, Vec<Diagnostic>>)]) {
    let mut taken: std::collections::HashSet<PathBuf> = std::collections::HashSet::new();
    // For each name met again, the next suffix to try: a folder of
    // thousands of untitled bulletins of one day takes linear time.
    let mut next: std::collections::HashMap<PathBuf, usize> = std::collections::HashMap::new();
    for (_, r) in prepared.iter_mut() {
        let Ok(p) = r else {
            continue;
        };
        let original = p.path.clone();
        let mut path = original.clone();
        if !taken.insert(path.clone()) {
            let stem = original
                .file_stem()
                .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
            let n = next.entry(original.clone()).or_insert(2);
            loop {
                path = original.with_file_name(format!("{stem}-{n}.md"));
                *n += 1;
                if taken.insert(path.clone()) {
                    break;
                }
            }
        }
        if path != original {
            p.path = path;
            p.renamed_from = Some(original);
        }
    }
}

/// The notice to write is there already.
fn exists(shown: &Path) -> Vec<Diagnostic> {
    vec![
        Diagnostic::error(Code::ImportExists, shown, "这个文件已经存在，没有覆盖")
            .help("确实要用导入的结果替换它，请加 --force（它的索引号不变）；或者用 --out 指定另一个文件名。"),
    ]
}

/// Writes the notice, refusing to replace a file unless forced, and
/// never through a link: in the site, none on its way may lead out of it;
/// at an `--out` path, the file itself may be none.
fn write_new(
    root: &Path,
    imported: &Imported,
    force: bool,
    shown: &Path,
) -> Result<(), Vec<Diagnostic>> {
    let path = &imported.path;
    let text = &imported.text;
    if path.symlink_metadata().is_ok() && !force {
        return Err(exists(shown));
    }
    match path.strip_prefix(root) {
        Ok(rel) => crate::files::writable(root, rel),
        Err(_) => crate::files::writable(
            path.parent().unwrap_or(Path::new(".")),
            Path::new(path.file_name().unwrap_or_default()),
        ),
    }
    .map_err(|d| vec![d])?;
    path.parent()
        .map_or(Ok(()), std::fs::create_dir_all)
        .and_then(|()| std::fs::write(path, text))
        .map_err(|e| vec![Diagnostic::io(Code::Io, shown, "写入", &e)])
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_import::{Format, Para, Placing, Source};
    use proptest::prelude::*;

    /// Lines of the kinds bulletins have, in any order and combination.
    const LINES: &[&str] = &[
        "关于巡察整改进展情况的通报",
        "中共某区某局党组",
        "湘政协〔2021〕12号",
        "根据区委统一部署，2021年4月28日至8月26日，区委第一巡察组对某局进行了巡察，9月5日反馈了意见。",
        "一、切实提高政治站位",
        "（一）贯彻落实党的路线方针政策和党中央决策部署存在的问题",
        "(二)群众身边腐败问题和不正之风方面",
        "在“领导班子和干部队伍建设”方面",
        "（四）其他方面",
        "1、针对学习不深不透的问题。",
        "2. 针对考勤管理方面的问题",
        "（3）针对财务管理的问题。原因分析：把关不严。整改情况：追回7230.3元。整改结果：整改完成。",
        "原因分析：思想认识不到位。",
        "问题原因:",
        "整改情况：一是……；二是退回多发补贴1,200元。",
        "整改措施：",
        "整改情况：整改完成，长期推进。",
        "整改结果：立行立改，整改完成",
        "整改结果：已完成整改。建立了制度。",
        "整改时限：2023年12月底前",
        "整改成效：通过整改，基本完成",
        "（1）建立长效机制。",
        "①加强学习。",
        "[bookmark: _GoBack]整改结果：正在整改",
        "欢迎广大干部群众监督（电话：0768-2100022；邮政信箱：某楼（409室）、邮政编码：521000；电子邮箱：a@b.cn）。也可来信。",
        "联系电话:0768-1234567",
        "- 12 -",
        "| 表格 | 内容 |\n| --- | --- |\n| 一 | 二 |",
        "二〇二一年十一月二十六日",
        "2021.11.26",
        "一是*强调*与_下划线_和<b>标签</b>与[链接](x)。",
        "# 井号开头的一行",
        "   ",
        "普通的一段正文，没有编号。",
    ];

    /// A site with the county round the notices below name.
    fn config() -> SiteConfig {
        let text = "title: 党务公开\nrounds:\n  - {id: 14-6, name: 十四届县委第六轮巡察, start: 2021-01-01, end: 2021-12-31}\n";
        SiteConfig::parse(text, Path::new("site.yaml")).unwrap()
    }

    fn words(text: &str) -> std::collections::HashMap<char, usize> {
        let mut m = std::collections::HashMap::new();
        for c in text.chars().filter(|c| c.is_alphanumeric()) {
            *m.entry(c).or_default() += 1;
        }
        m
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// Whatever the mix of lines: no panic; either the categories are
        /// reported unassigned, or the notice written parses as `build`
        /// reads it; and every word of the source is in it, except the
        /// labels, numbers and artifacts the importer recognised.
        #[test]
        fn any_mix_of_lines(picks in proptest::collection::vec(0..LINES.len(), 0..40)) {
            let config = config();
            let paras: Vec<Para> = picks
                .iter()
                .enumerate()
                .map(|(i, &k)| Para { no: i + 1, text: LINES[k].to_string(), table: LINES[k].starts_with('|') })
                .collect();
            let source = Source::new(Format::Utf8, paras);
            let placing = Placing { categories: &config.categories, map: &[] };
            let mut draft = gongkai_import::recognise_source(&source, Default::default(), &placing);
            // What the source says, written as comments, never as fields.
            draft.index_number = Some("11440500/2023\nslug: x".into());
            let missing = numbering::Number::Missing("没有\ntitle: x".into());
            let today = Day::parse("2024-01-02").unwrap();
            let text = write::notice(
                &draft,
                &write::Resolved {
                    date: draft.date.as_ref().map_or(today, |d| d.value),
                    organization: Some(draft.organization.as_ref().map_or("某单位", |(o, _)| o.value.as_str())),
                    organization_note: Some("原文写作\r\ndraft: false".into()),
                    index_number: Some(&missing),
                    round: Some(("14-6", "原文写明“十四届\n县委”".into())),
                },
                &write::Origin { file_name: "a.txt", today },
            );
            let parsed = load::notice::parse_notice(Path::new("content/notices/a.md"), &text, Some(&config));
            prop_assert!(parsed.is_ok(), "{}\n{:?}", text, parsed.err());
            // The fast YAML reader reads what the importer writes, as the
            // full one does.
            let yaml = text.split("---\n").nth(1).unwrap_or_default();
            let fast = crate::yaml::fast::read::<serde_yaml::Value>(yaml);
            prop_assert!(fast.is_some(), "not read fast:\n{}", text);
            prop_assert_eq!(fast, serde_yaml::from_str::<serde_yaml::Value>(yaml).ok());

            let have = words(&text);
            let label = regex::Regex::new(
                r"\[bookmark: [^\]]*\]|(?:原因分析|问题原因|整改情况|整改措施|整改结果|整改成效|整改时限|联系电话|电话|邮政信箱|邮政编码|电子邮箱)\s*[：:]|^\s*(?:\d+\s*[、.．]|[（(]\d+[）)]|①|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])|^-\s*\d+\s*-$|^[〇一二三四五六七八九十]+年[一二三四五六七八九十]+月[一二三四五六七八九十]+日$|^\d{4}\.\d{1,2}\.\d{1,2}$"
            ).unwrap();
            for p in &source.paras {
                let kept = label.replace_all(&p.text, "");
                for (c, n) in words(&kept) {
                    prop_assert!(have.get(&c).copied().unwrap_or(0) >= n, "lost {} of line {:?}\n{}", c, p.text, text);
                }
            }
        }
    }
}
