//! One file of an import, into a notice in memory: recognised (by the
//! `gongkai-import` crate), resolved with the site's defaults (the date,
//! the issuing body, the file's name), continued from the site's round,
//! written, checked as `build` checks notices, and reported.

use std::path::{Path, PathBuf};

use gongkai_import::draft::Draft;
use gongkai_import::{Placing, Recognised};

use super::{Context, Imported, Report, series, shown, write};
use crate::content::Day;
use crate::diagnostic::Diagnostic;
use crate::folders::CONTENT;
use crate::load;
use crate::slug;

/// Reads and recognises one file, and writes its notice in memory.
pub(super) fn prepare(file: &Path, ctx: &Context<'_>) -> Result<Imported, Vec<Diagnostic>> {
    let (options, config) = (ctx.options, &ctx.config);
    let placing = Placing {
        categories: &config.categories,
        map: &ctx.map,
    };
    let Recognised {
        mut draft,
        format,
        chrome,
        last_no,
    } = gongkai_import::recognise_file(file, &placing).map_err(|d| vec![d])?;
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
    let mut report = Report::new(&draft, &config.categories, format, file, date);
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
