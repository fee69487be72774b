//! The problem categories a site sorts problems into, and the three a
//! site has when `site.yaml` names none.

use serde::Deserialize;

/// One problem category, in the order the site lists them.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    /// Used in front matter and URLs: ASCII letters, digits and `-`.
    #[serde(deserialize_with = "crate::scalar::required")]
    pub key: String,
    /// Full name, e.g. 贯彻落实党的路线方针政策和党中央决策部署存在的问题.
    #[serde(deserialize_with = "crate::scalar::required")]
    pub name: String,
    /// Short label for badges and narrow screens; the name when not given.
    #[serde(default)]
    pub short: String,
}

/// The three categories of the seed bulletin, the usual ones for 巡察.
pub fn default_categories() -> Vec<Category> {
    [
        (
            "policy",
            "贯彻落实党的路线方针政策和党中央决策部署存在的问题",
            "政策落实",
        ),
        ("conduct", "群众身边腐败问题和不正之风方面", "作风纪律"),
        ("team", "党组织领导班子和干部队伍建设方面", "班子队伍"),
    ]
    .into_iter()
    .map(|(key, name, short)| Category {
        key: key.into(),
        name: name.into(),
        short: short.into(),
    })
    .collect()
}
