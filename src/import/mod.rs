//! `gongkai import`: an existing bulletin, as a Word document or as text
//! copied out of one, turned into a notice of the content model.
//!
//! The stages mirror the build's: `source` reads the file into numbered
//! paragraphs (detecting the encoding of text, reading `.docx` with its
//! automatic numbering), `recognise` finds the layout (title, signature,
//! opening formula, numbered problems under category headings, contacts)
//! into a [`draft::Draft`], and `write` prints it as a notice file, which
//! is then checked exactly as `build` checks notices. Whatever is not
//! recognised stays in the body, in order: nothing of the source is lost.

mod categories;
mod chrome;
mod classify;
mod dates;
mod docx;
pub mod draft;
mod facts;
mod html;
mod lexicon;
mod markdown;
mod numerals;
mod problems;
mod recognise;
pub mod series;
mod source;
mod write;

use std::fmt;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::{Category, SiteConfig};
use crate::content::{Day, State, Status};
use crate::diagnostic::{Code, Diagnostic};
use crate::folders::CONTENT;
use crate::load;
use crate::slug;
use categories::Matcher;
use draft::{Draft, Group, OrgSource, Placement};
pub use source::Format;

/// The `--category-map` text for problems without a category heading.
const UNHEADED: &str = "*";

/// What `gongkai import` was asked for.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The site: its `site.yaml` gives the categories.
    pub root: PathBuf,
    /// The `.docx`, `.txt` and `.html` files to import, and folders of them.
    pub files: Vec<PathBuf>,
    /// Where to write the notice, instead of `content/notices/<date>-<body>.md`
    /// (one file only).
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
    notices: Vec<std::sync::Arc<crate::content::Notice>>,
}

/// The extensions `import` reads in a folder.
const IMPORTED: [&str; 6] = ["docx", "txt", "html", "htm", "shtml", "xhtml"];

/// Imports every file of `options.files` (folders: every `.docx`, `.txt`
/// and `.html` in them) into the site. Fails only when the site cannot be
/// imported into; a file that cannot be read fails alone, in its result.
pub fn import(options: &ImportOptions) -> Result<Vec<FileImport>, Vec<Diagnostic>> {
    let config = SiteConfig::load(&options.root)?;
    let map = category_map(&options.category_map, &config)?;
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
    let ctx = Context {
        options,
        config,
        map,
        notices,
    };
    let mut results: Vec<FileImport> = files
        .par_iter()
        .map(|file| FileImport {
            file: file.clone(),
            outcome: prepare(file, &ctx),
        })
        .collect();
    distinct_names(&mut results, &ctx);
    for r in &mut results {
        if let Ok(imported) = &r.outcome
            && !options.dry_run
        {
            let shown = shown(options, &imported.path);
            if let Err(e) = write_new(&imported.path, &imported.text, options.force, &shown) {
                r.outcome = Err(e);
            }
        }
    }
    Ok(results)
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
            .help("请给出 .docx、.txt 或 .html 文件，或者装着它们的文件夹。"),
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
/// `-2`, `-3`, and are checked again under their new name.
fn distinct_names(results: &mut [FileImport], ctx: &Context<'_>) {
    let mut taken: std::collections::HashSet<PathBuf> = std::collections::HashSet::new();
    for r in results.iter_mut() {
        let Ok(imported) = &mut r.outcome else {
            continue;
        };
        let original = imported.path.clone();
        let mut path = original.clone();
        let mut n = 1;
        while !taken.insert(path.clone()) {
            n += 1;
            let stem = original
                .file_stem()
                .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
            path = original.with_file_name(format!("{stem}-{n}.md"));
        }
        if path != original {
            imported.path = path.clone();
            imported.renamed_from = Some(original);
            let shown = shown(ctx.options, &path);
            imported.diagnostics =
                match load::notice::parse_notice(&shown, &imported.text, Some(&ctx.config)) {
                    Ok((_, warnings)) => warnings,
                    Err(errors) => errors,
                };
        }
    }
}

/// Reads and recognises one file, and writes its notice in memory.
fn prepare(file: &Path, ctx: &Context<'_>) -> Result<Imported, Vec<Diagnostic>> {
    let (options, config, map) = (ctx.options, &ctx.config, &ctx.map);
    let mut source = source::read(file).map_err(|d| vec![d])?;
    let (chrome, mut page) = chrome::strip(&mut source.paras);
    // The page's own meta tags and table come first.
    let meta = std::mem::take(&mut source.page);
    page = chrome::PageFacts {
        organization: meta.organization.or(page.organization),
        date: meta.date.or(page.date),
        title: meta.title.or(page.title),
        doc_number: meta.doc_number.or(page.doc_number),
    };
    if source.paras.iter().all(|p| p.text.trim().is_empty()) {
        return Err(vec![
            Diagnostic::error(Code::ImportEmpty, file, "文件里没有文字")
                .help("请确认选对了文件：Word 文档要存成 .docx，文本文件要有内容。"),
        ]);
    }
    let matcher = Matcher::new(&config.categories, map);
    let mut draft = recognise::recognise(&source, &matcher);
    page_facts(&mut draft, page);
    place(&mut draft, config, map);

    let last_no = source.paras.last().map_or(1, |p| p.no);
    let date = date_or_today(&mut draft, options.today, last_no);
    let organization = organization_or_site(&mut draft, config.organization.as_deref(), last_no);
    draft.notes.sort_by_key(|n| n.no);

    let issuer = organization.as_deref().or(config.organization.as_deref());
    let rel = file_for(&draft, date, issuer);
    // The site's notices, to continue the round this bulletin reports on.
    let series = issuer.and_then(|org| {
        let others: Vec<_> = ctx
            .notices
            .iter()
            .filter(|n| n.source != rel)
            .cloned()
            .collect();
        series::continue_round(&mut draft, others, org, date)
    });
    let path = options
        .out
        .clone()
        .unwrap_or_else(|| options.root.join(&rel));
    let file_name = file.file_name().map_or_else(
        || file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let text = write::notice(
        &draft,
        &write::Resolved {
            date,
            organization: organization.as_deref(),
        },
        &write::Origin {
            file_name: &file_name,
            today: options.today,
        },
    );
    let diagnostics = match load::notice::parse_notice(&shown(options, &path), &text, Some(config))
    {
        Ok((_, warnings)) => warnings,
        Err(errors) => errors,
    };
    let mut report = Report::new(&draft, config, source.format, file, date);
    report.chrome = chrome;
    report.series = series;
    Ok(Imported {
        path,
        text,
        report,
        diagnostics,
        renamed_from: None,
    })
}

/// What the web page said, where the bulletin itself does not say it.
fn page_facts(draft: &mut Draft, page: chrome::PageFacts) {
    let no = 1;
    if draft.organization.is_none()
        && let Some(org) = page.organization
    {
        draft.note(
            no,
            format!("发布单位取自网页的“发布机构”或“来源”：{org}，请核对"),
        );
        draft.organization = Some((draft::Found { value: org, no }, OrgSource::Page));
    }
    if draft.date.is_none()
        && let Some(day) = page.date
    {
        draft.note(
            no,
            format!(
                "发布日期取自网页的“成文日期”或“发布时间”：{}，请核对",
                day.iso()
            ),
        );
        draft.date = Some(draft::Found { value: day, no });
    }
    if draft.title.is_none()
        && let Some(title) = page.title
    {
        draft.title = Some(draft::Found { value: title, no });
    }
    if draft.doc_number.is_none() {
        draft.doc_number = page.doc_number;
    }
}

/// The date found, or today's, with a note to correct it.
fn date_or_today(draft: &mut Draft, today: Day, no: usize) -> Day {
    if let Some(d) = &draft.date {
        return d.value;
    }
    draft.note(
        no,
        format!(
            "没有找到发布日期（落款或标题下面的日期），暂用今天 {}，请改成实际的发布日期",
            today.iso()
        ),
    );
    today
}

/// The issuing body found; else none, when site.yaml has one to fall back
/// on, or a placeholder to fill in.
fn organization_or_site(draft: &mut Draft, site: Option<&str>, no: usize) -> Option<String> {
    if let Some((org, _)) = &draft.organization {
        return Some(org.value.clone());
    }
    match site {
        Some(site) => {
            draft.note(
                no,
                format!("没有找到发布单位（落款），将使用 site.yaml 里的“{site}”"),
            );
            None
        }
        None => {
            draft.note(no, "没有找到发布单位（落款），请填写 organization");
            Some("（请填写发布单位）".to_string())
        }
    }
}

/// `content/notices/<date>-<pinyin of the issuing body>.md`.
fn file_for(draft: &Draft, date: Day, organization: Option<&str>) -> PathBuf {
    let name = organization
        .or(draft.title.as_ref().map(|t| t.value.as_str()))
        .unwrap_or("notice");
    PathBuf::from(CONTENT).join("notices").join(format!(
        "{}-{}.md",
        date.iso(),
        slug::short(name, "notice")
    ))
}

/// Writes the notice, refusing to replace a file unless forced.
fn write_new(path: &Path, text: &str, force: bool, shown: &Path) -> Result<(), Vec<Diagnostic>> {
    if path.exists() && !force {
        return Err(vec![
            Diagnostic::error(Code::ImportExists, shown, "这个文件已经存在，没有覆盖")
                .help("确实要用导入的结果替换它，请加 --force；或者用 --out 指定另一个文件名。"),
        ]);
    }
    path.parent()
        .map_or(Ok(()), std::fs::create_dir_all)
        .and_then(|()| std::fs::write(path, text))
        .map_err(|e| vec![Diagnostic::error(Code::Io, shown, format!("无法写入：{e}"))])
}

/// Parses `KEY=TEXT` pairs; every key must be a category of the site.
fn category_map(
    pairs: &[String],
    config: &SiteConfig,
) -> Result<Vec<(String, String)>, Vec<Diagnostic>> {
    let mut map = Vec::new();
    let mut errors = Vec::new();
    for pair in pairs {
        match pair.split_once('=') {
            Some((key, text))
                if config.category_id(key.trim()).is_some() && !text.trim().is_empty() =>
            {
                map.push((key.trim().to_string(), text.trim().to_string()));
            }
            Some((key, text)) if !text.trim().is_empty() => errors.push(
                Diagnostic::error(
                    Code::UnknownCategory,
                    "--category-map",
                    format!("未知的问题类别“{}”", key.trim()),
                )
                .help(format!(
                    "可用的类别（在 site.yaml 中定义）：{}",
                    config.category_list()
                )),
            ),
            _ => errors.push(
                Diagnostic::error(
                    Code::ImportMap,
                    "--category-map",
                    format!("“{pair}”的写法不对"),
                )
                .help("写成 类别=标题里的文字，例如 --category-map team=干部队伍建设"),
            ),
        }
    }
    if errors.is_empty() {
        Ok(map)
    } else {
        Err(errors)
    }
}

/// The category a group's heading suggests, and the heading that did: the
/// one it is nested in first, which is at the level of categories.
fn heading_guess<'g>(g: &'g Group, categories: &[Category]) -> Option<(lexicon::Guess, &'g str)> {
    let outer = g.outer.as_deref();
    let own = g.heading.as_ref().map(|h| h.value.as_str());
    [outer, own]
        .into_iter()
        .flatten()
        .find_map(|text| lexicon::guess(text, categories).map(|guess| (guess, text)))
}

/// Places every problem in a site category. Never fails: a heading or a
/// problem whose wording names no category is placed by the vocabulary of
/// the categories ([`lexicon`]), or, failing that, in the first category;
/// each guess is noted for the reviewer.
fn place(draft: &mut Draft, config: &SiteConfig, map: &[(String, String)]) {
    let first = config
        .categories
        .first()
        .map_or_else(String::new, |c| c.key.clone());
    let unheaded = map
        .iter()
        .find(|(_, text)| text == UNHEADED)
        .map(|(k, _)| k.clone())
        .or_else(|| (config.categories.len() == 1).then(|| first.clone()));
    let mut notes = Vec::new();
    for g in &mut draft.groups {
        let decided = match (&g.heading, &g.assignment) {
            (_, a) if a.key().is_some() => a.key().map(|k| Placement {
                key: k.to_string(),
                guessed: None,
            }),
            (None, _) => unheaded.clone().map(|key| Placement { key, guessed: None }),
            (Some(h), _) => heading_guess(g, &config.categories).map(|(guess, heading)| {
                // A guess by the outer heading is noted at that heading.
                if heading == h.value {
                    notes.push((
                        h.no,
                        format!(
                            "类别标题“{heading}”不是站点的问题类别，按措辞（{}）把它下面的问题归入 {}，请核对",
                            guess.reason, guess.key
                        ),
                    ));
                }
                Placement {
                    key: guess.key,
                    guessed: Some(format!("按类别标题的措辞（{}）推断", guess.reason)),
                }
            }),
        };
        for p in &mut g.problems {
            let placement = decided.clone().unwrap_or_else(|| {
                // Placed by its own wording.
                let words = [
                    Some(p.title.as_str()),
                    p.cause.as_deref(),
                    p.measures.as_deref(),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join("\n");
                let (key, why, message) = match lexicon::guess(&words, &config.categories) {
                    Some(g) => (
                        g.key.clone(),
                        format!("按问题的措辞（{}）推断", g.reason),
                        format!(
                            "第 {} 项问题没有类别标题，按措辞（{}）归入 {}，请核对",
                            p.number, g.reason, g.key
                        ),
                    ),
                    None => (
                        first.clone(),
                        "措辞里没有可判断类别的词，暂归入第一类".to_string(),
                        format!(
                            "第 {} 项问题的措辞里没有可判断类别的词，暂归入第一类 {first}，请核对",
                            p.number
                        ),
                    ),
                };
                notes.push((p.no, message));
                Placement {
                    key,
                    guessed: Some(why),
                }
            });
            p.placement = Some(placement);
        }
    }
    for (no, message) in notes {
        draft.note(no, message);
    }
}

/// What was recognised, for the person who imports.
#[derive(Debug, Clone)]
pub struct Report {
    pub source: PathBuf,
    pub format: Format,
    pub title: Option<String>,
    pub organization: Option<(String, &'static str)>,
    pub date: (Day, bool),
    pub inspection: Option<String>,
    /// Per site category: key, name, problems.
    pub categories: Vec<(String, String, usize)>,
    pub problems: usize,
    pub states: Vec<(State, usize)>,
    pub immediate: usize,
    pub long_term: usize,
    /// Problem number and yuan.
    pub amounts: Vec<(u32, String)>,
    pub total_yuan: Option<String>,
    pub contact: Vec<&'static str>,
    pub artifacts: usize,
    /// (line, message); `unit` says whether lines or paragraphs.
    pub notes: Vec<(usize, String)>,
    pub unit: &'static str,
    /// How the problems continue those of the round, when the site has
    /// earlier notices of it.
    pub series: Option<series::Continuation>,
    /// Lines of web page chrome taken out of the text.
    pub chrome: Vec<(usize, String)>,
    /// Problems placed in a category by wording: number, key, why.
    pub guessed: Vec<(u32, String, String)>,
}

impl Report {
    fn new(draft: &Draft, config: &SiteConfig, format: Format, source: &Path, date: Day) -> Report {
        let mut categories: Vec<(String, String, usize)> = config
            .categories
            .iter()
            .map(|c| (c.key.clone(), c.name.clone(), 0))
            .collect();
        let mut states: Vec<(State, usize)> = State::ALL.iter().map(|s| (*s, 0)).collect();
        let (mut immediate, mut long_term, mut fen) = (0, 0, 0i64);
        let mut amounts = Vec::new();
        for (_, p) in draft.problems() {
            if let Some(c) = categories
                .iter_mut()
                .find(|c| p.placement.as_ref().is_some_and(|pl| pl.key == c.0))
            {
                c.2 += 1;
            }
            {
                let phrase = p
                    .status
                    .as_ref()
                    .map(|s| s.value.as_str())
                    .or(p.result.as_deref());
                if let Some(status) = phrase.and_then(|t| Status::parse(t).ok()) {
                    if let Some(s) = states.iter_mut().find(|s| s.0 == status.state) {
                        s.1 += 1;
                    }
                    immediate += usize::from(status.immediate);
                    long_term += usize::from(status.long_term);
                }
                if let Some(y) = &p.recovered_yuan {
                    fen += crate::content::Yuan::parse(y).map_or(0, |y| y.fen());
                    amounts.push((p.number, y.clone()));
                }
            }
        }
        let org_source = |s: OrgSource| match s {
            OrgSource::Signature => "落款",
            OrgSource::Header => "标题上方",
            OrgSource::Title => "标题",
            OrgSource::Page => "网页的发布机构或来源",
        };
        let inspection = draft.inspection.as_ref().map(|i| {
            let day = |d: Option<Day>| d.map_or_else(|| "（未识别）".to_string(), Day::iso);
            let mut s = format!(
                "{}：{}，{} 至 {}",
                i.kind.label(),
                i.group.as_deref().unwrap_or("（未识别巡察组）"),
                day(i.start),
                day(i.end)
            );
            if let Some(f) = i.feedback {
                s.push_str(&format!("，{} 反馈", f.iso()));
            }
            s
        });
        let contact = draft.contact.as_ref().map_or_else(Vec::new, |c| {
            [
                (c.phone.is_some(), "电话"),
                (c.address.is_some(), "邮政信箱/地址"),
                (c.postcode.is_some(), "邮政编码"),
                (c.email.is_some(), "电子邮箱"),
            ]
            .into_iter()
            .filter_map(|(has, name)| has.then_some(name))
            .collect()
        });
        Report {
            source: source.to_path_buf(),
            format,
            title: draft.title.as_ref().map(|t| t.value.clone()),
            organization: draft
                .organization
                .as_ref()
                .map(|(o, s)| (o.value.clone(), org_source(*s))),
            date: (date, draft.date.is_some()),
            inspection,
            categories,
            problems: draft.problems().count(),
            states,
            immediate,
            long_term,
            total_yuan: (!amounts.is_empty()).then(|| crate::content::money::format_fen(fen)),
            amounts,
            contact,
            artifacts: draft.artifacts,
            notes: draft
                .notes
                .iter()
                .map(|n| (n.no, n.value.clone()))
                .collect(),
            unit: format.unit(),
            series: None,
            chrome: Vec::new(),
            guessed: draft
                .problems()
                .filter_map(|(_, p)| {
                    let placed = p.placement.as_ref()?;
                    Some((p.number, placed.key.clone(), placed.guessed.clone()?))
                })
                .collect(),
        }
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "原文：{}（{}）", self.source.display(), self.format)?;
        writeln!(
            f,
            "  标题：{}",
            self.title.as_deref().unwrap_or("（未识别）")
        )?;
        match &self.organization {
            Some((org, from)) => writeln!(f, "  发布单位：{org}（取自{from}）")?,
            None => writeln!(f, "  发布单位：（未识别）")?,
        }
        let (date, found) = self.date;
        writeln!(
            f,
            "  发布日期：{}{}",
            date.iso(),
            if found {
                ""
            } else {
                "（未识别，暂用今天）"
            }
        )?;
        if let Some(i) = &self.inspection {
            writeln!(f, "  {i}")?;
        }
        writeln!(f, "  问题：{} 个", self.problems)?;
        for (key, name, n) in &self.categories {
            writeln!(f, "    {key}（{name}）：{n} 个")?;
        }
        let states: Vec<String> = self
            .states
            .iter()
            .filter(|(_, n)| *n > 0)
            .map(|(s, n)| format!("{} {n}", s.label()))
            .collect();
        if !states.is_empty() {
            writeln!(
                f,
                "  整改状态：{}；其中立行立改 {}，长期推进 {}",
                states.join("，"),
                self.immediate,
                self.long_term
            )?;
        }
        if let Some(total) = &self.total_yuan {
            let each: Vec<String> = self
                .amounts
                .iter()
                .map(|(n, y)| format!("第{n}项 {y} 元"))
                .collect();
            writeln!(f, "  追回金额：{}，合计 {total} 元", each.join("，"))?;
        }
        if !self.contact.is_empty() {
            writeln!(f, "  监督方式：{}", self.contact.join("、"))?;
        }
        if self.artifacts > 0 {
            writeln!(f, "  已删除 Word 残留标记 {} 处", self.artifacts)?;
        }
        if !self.chrome.is_empty() {
            writeln!(
                f,
                "  已删除网页上的导航、来源、字号、分享等 {} 行（没有放进通报）：",
                self.chrome.len()
            )?;
            for (no, text) in &self.chrome {
                writeln!(
                    f,
                    "    第 {no} {}：{}",
                    self.unit,
                    crate::text::summarize(text, 40)
                )?;
            }
        }
        if let Some(s) = &self.series {
            writeln!(
                f,
                "  同一轮巡察在站点里已有 {} 篇通报，问题对应如下（已写入 follows 或注释，请核对）：",
                s.notices
            )?;
            for (number, m) in &s.matches {
                let said = match m {
                    series::Match::Number(e) => format!("{}（编号相同）", e.describe()),
                    series::Match::Wording(e) => format!("{}（按内容对应）", e.describe()),
                    series::Match::New => "新问题，前面的通报里没有".into(),
                };
                writeln!(f, "    第{number}项 → {said}")?;
            }
        }
        if self.notes.is_empty() {
            writeln!(f, "没有需要特别核对的地方，但发布前仍请通读一遍。")?;
        } else {
            writeln!(f, "需要核对的地方（{} 处）：", self.notes.len())?;
            for (no, message) in &self.notes {
                writeln!(f, "  第 {no} {}：{message}", self.unit)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use source::{Para, Source};

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

    fn config() -> SiteConfig {
        SiteConfig::parse("title: 党务公开\n", Path::new("site.yaml")).unwrap()
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
            let source = Source { format: Format::Utf8, paras, page: Default::default() };
            let matcher = Matcher::new(&config.categories, &[]);
            let mut draft = recognise::recognise(&source, &matcher);
            place(&mut draft, &config, &[]);
            let today = Day::parse("2024-01-02").unwrap();
            let text = write::notice(
                &draft,
                &write::Resolved {
                    date: draft.date.as_ref().map_or(today, |d| d.value),
                    organization: Some(draft.organization.as_ref().map_or("某单位", |(o, _)| o.value.as_str())),
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
