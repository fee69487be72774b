//! Which notices a build publishes: the one publish policy.

use std::path::PathBuf;
use std::sync::Arc;

use crate::config::SiteConfig;
use crate::content::Notice;

/// Choices that change which notices are published.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Publish {
    /// Include drafts and notices not yet approved (a preview).
    pub drafts: bool,
}

/// A notice left out of the site, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub source: PathBuf,
    pub slug: String,
    pub reason: String,
}

impl Publish {
    /// Why `notice` is not published, or `None` when it is: a draft, or
    /// (when `site.yaml` requires review) a notice without approval, unless
    /// this is a preview.
    pub fn withheld(self, notice: &Notice, config: &SiteConfig) -> Option<String> {
        if self.drafts {
            None
        } else if notice.draft {
            Some("草稿（draft: true），未发布；预览草稿请加 --drafts".to_string())
        } else if config.requires_review(notice.unit) && !notice.is_approved() {
            let missing = notice
                .review
                .clone()
                .unwrap_or_default()
                .missing()
                .join("、");
            Some(format!("site.yaml 要求审批后发布，这篇还缺少：{missing}"))
        } else {
            None
        }
    }

    /// Splits notices into the published ones and the rest.
    pub fn select(
        self,
        notices: Vec<Arc<Notice>>,
        config: &SiteConfig,
    ) -> (Vec<Arc<Notice>>, Vec<Skipped>) {
        let mut kept = Vec::with_capacity(notices.len());
        let mut skipped = Vec::new();
        for n in notices {
            // A unit's column (`--unit`) holds that unit's notices only;
            // the others are not withheld, they are not of this site.
            if config.unit_only.is_some_and(|u| n.unit != Some(u)) {
                continue;
            }
            match self.withheld(&n, config) {
                Some(reason) => skipped.push(Skipped {
                    source: n.source.clone(),
                    slug: n.slug.clone(),
                    reason,
                }),
                None => kept.push(n),
            }
        }
        (kept, skipped)
    }
}
