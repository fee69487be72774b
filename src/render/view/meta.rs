//! The page tags (元数据) of the 政府网站发展指引 that every page carries:
//! what the site is, the column the page belongs to, and the article — a
//! notice, or a column page itself, dated by the newest notice it lists.
//!
//! A column page's date comes from the notices the page shows, never from
//! the whole site: `serve` re-renders a list page when one of its own
//! notices changed (see `render::inputs`), so a tag may depend on nothing
//! else.

use serde::Serialize;

use crate::content::PublishDate;
use crate::model::{NoticeId, Site};
use crate::render::pages::Page;

/// Every page tag; empty only where the site says nothing: `site_domain`
/// and `url` without `base_url`, `site_id_code` without
/// `footer.site_id_code`, `pub_date` on a page that lists no notice.
#[derive(Serialize, Hash)]
pub struct MetaView {
    pub site_name: String,
    pub site_domain: Option<String>,
    pub site_id_code: Option<String>,
    pub column_name: String,
    pub column_type: String,
    pub article_title: String,
    /// `2021-11-26 09:30`.
    pub pub_date: Option<String>,
    pub content_source: String,
    pub keywords: String,
    pub author: String,
    pub description: String,
    pub url: Option<String>,
}

impl MetaView {
    /// The tags of `page`, whose title, description and keywords the page
    /// context made; `url` is its absolute address, when the site has one.
    pub fn new(
        site: &Site,
        page: &Page,
        title: &str,
        description: &str,
        keywords: &str,
        url: Option<String>,
    ) -> MetaView {
        let config = &site.config;
        let publisher = config.organization.as_deref().unwrap_or(&config.title);
        let column_name = column(site, page);
        let (article_title, source) = match *page {
            Page::Notice { id } | Page::Board { id } => {
                let n = site.notice(id);
                (n.title.clone(), n.organization.clone())
            }
            _ => (title.to_string(), publisher.to_string()),
        };
        MetaView {
            site_name: config.title.clone(),
            site_domain: config.base_url.as_ref().map(|u| u.domain()),
            site_id_code: config.footer.site_id_code.clone(),
            column_name,
            column_type: config.column.clone(),
            article_title,
            pub_date: newest(site, page).map(|d| d.meta()),
            author: source.clone(),
            content_source: source,
            keywords: keywords.to_string(),
            description: if description.trim().is_empty() {
                title.to_string()
            } else {
                description.to_string()
            },
            url,
        }
    }
}

/// The column a page is in: a category page's category; a unit's page and
/// its notices, the unit's; else the site's.
fn column(site: &Site, page: &Page) -> String {
    let config = &site.config;
    let unit = match *page {
        Page::Category { id, .. } => return config.category(id).short.clone(),
        Page::Unit { id, .. } => Some(id),
        Page::Notice { id } | Page::Board { id } => site.notice(id).unit,
        _ => None,
    };
    match unit {
        Some(u) => config.unit(u).name.clone(),
        None => config.column.clone(),
    }
}

/// The date of the page: a notice's own, or the newest of the notices a
/// list page shows (those `render::inputs` fingerprints it by); the
/// site's newest for the pages fingerprinted by their whole context.
fn newest(site: &Site, page: &Page) -> Option<PublishDate> {
    let per = site.config.notices_per_page;
    let of_page = |notices: &[NoticeId], page: usize| -> Vec<NoticeId> {
        notices
            .iter()
            .skip((page - 1) * per)
            .take(per)
            .copied()
            .collect()
    };
    let shown: Vec<NoticeId> = match *page {
        Page::Notice { id } | Page::Board { id } => vec![id],
        Page::Category { id, page } => {
            let cat = &site.categories[id];
            let per = site.config.problems_per_page;
            let mut shown: Vec<NoticeId> = cat
                .problems
                .iter()
                .skip((page - 1) * per)
                .take(per)
                .map(|r| r.notice)
                .collect();
            if page == 1 {
                shown.extend(&cat.notices);
            }
            shown
        }
        Page::Notices { page } => {
            let all: Vec<NoticeId> = site.notices.keys().collect();
            of_page(&all, page)
        }
        Page::Organization { id, page } => of_page(&site.organizations[id].notices, page),
        Page::Tag { id, page } => of_page(&site.tags[id].notices, page),
        Page::Unit { id, page } => of_page(&site.county.units[id].notices, page),
        Page::Year { id } => site.years[id].notices.clone(),
        Page::Inspection { id } => site.ledger.rounds[id].notices.clone(),
        _ => site.notices.keys().take(1).collect(),
    };
    shown
        .into_iter()
        .map(|i| site.notice(i).date)
        .max_by_key(|d| d.instant)
}
