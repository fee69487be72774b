//! Site configuration: `site.yaml` at the site root.
//!
//! - [`county`]: the units of a county's site and its inspection rounds;
//! - [`index_number`]: the pattern of the 索引号.

mod check;
pub mod county;
mod exports;
pub mod index_number;

use std::path::{Path, PathBuf};

use serde::Deserialize;

pub use crate::content::{Category, default_categories};
use crate::content::{CategoryId, Contact, CountyRoundId, UnitId};
use crate::diagnostic::{Code, Diagnostic};
use crate::folders::{CONFIG_FILE, THEMES};
use crate::routes::BaseUrl;
use crate::yaml::{self, Seg, YamlErrorKind};
pub use check::{CheckConfig, Period, StaleAsOf};
pub use county::{CountyRound, RawCountyRound, Unit, UnitNames, UnitReview};
pub use exports::Export;
pub use index_number::{IndexPattern, NumberFor};

/// Fields for the footer that Chinese government sites must show.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Footer {
    /// ICP 备案号, e.g. 粤ICP备12345678号.
    #[serde(default)]
    pub icp: Option<String>,
    /// 公安备案号, e.g. 粤公网安备 44510202000001号.
    #[serde(default)]
    pub police: Option<String>,
    /// 网站标识码, also used for the SiteIDCode meta tag.
    #[serde(default, deserialize_with = "crate::yaml::text")]
    pub site_id_code: Option<String>,
    /// Extra line, e.g. a copyright or a sponsor (主办单位).
    #[serde(default)]
    pub note: Option<String>,
}

/// `deploy:` of `site.yaml`: where `gongkai deploy` publishes by default.
/// Keys are never here: they come from the environment or a profile
/// outside the site.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeployConfig {
    /// `zip:FILE`, `folder:PATH` or `s3://BUCKET/PREFIX`.
    #[serde(default)]
    pub to: Option<String>,
    /// The object storage endpoint, e.g. `https://oss-cn-hangzhou.aliyuncs.com`.
    #[serde(default)]
    pub endpoint: Option<String>,
    /// The region, e.g. `cn-hangzhou`; read from a known endpoint if not given.
    #[serde(default)]
    pub region: Option<String>,
    /// Path-style requests (`true`) or virtual-hosted style (`false`);
    /// by default virtual-hosted for OSS, COS and OBS, path style elsewhere.
    #[serde(default)]
    pub path_style: Option<bool>,
    /// A profile of `~/.aws/credentials` to read the keys from.
    #[serde(default)]
    pub profile: Option<String>,
    /// Deletes allowed without `--force` (256 when not given).
    #[serde(default)]
    pub max_deletes: Option<usize>,
}

/// Everything `site.yaml` can say.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    #[serde(deserialize_with = "yaml::required")]
    pub title: String,
    #[serde(default = "default_language")]
    pub language: String,
    /// `base_url` as written; [`SiteConfig::base_url`] is what it means.
    #[serde(default, rename = "base_url")]
    base_url_text: Option<String>,
    /// Absolute URL the site is deployed at; feeds and sitemaps need it.
    #[serde(skip)]
    pub base_url: Option<BaseUrl>,
    #[serde(default)]
    pub description: Option<String>,
    /// The default issuing body of notices, also shown as the sponsor in
    /// the footer. A site publishing for many bodies may leave it out;
    /// then every notice must name its own.
    #[serde(default)]
    pub organization: Option<String>,
    /// The column name (栏目) for the ColumnName meta tag.
    #[serde(default = "default_column")]
    pub column: String,
    #[serde(default)]
    pub contact: Option<Contact>,
    #[serde(default)]
    pub footer: Footer,
    #[serde(default = "default_categories")]
    pub categories: Vec<Category>,
    #[serde(default = "default_per_page")]
    pub notices_per_page: usize,
    #[serde(default = "default_problems_per_page")]
    pub problems_per_page: usize,
    /// Notices without an approval record are not published.
    #[serde(default)]
    pub require_review: bool,
    #[serde(default = "default_theme")]
    pub theme: String,
    /// Full-text search (`/search/`); `false` leaves it out.
    #[serde(default = "default_true")]
    pub search: bool,
    /// The units whose columns the site holds (a county's departments and
    /// townships); none: the site is one implicit unit.
    #[serde(default)]
    pub units: Vec<Unit>,
    /// The county's inspection rounds, as written; [`SiteConfig::rounds`]
    /// once their dates are read.
    #[serde(default, rename = "rounds")]
    pub(crate) rounds_written: Vec<RawCountyRound>,
    #[serde(skip)]
    pub rounds: Vec<CountyRound>,
    /// The 索引号 pattern as written; [`SiteConfig::index_number`] parsed.
    #[serde(default, rename = "index_number", deserialize_with = "yaml::text")]
    pub(crate) index_number_text: Option<String>,
    #[serde(skip)]
    pub index_number: Option<IndexPattern>,
    /// Each unit by the names bulletins call it.
    #[serde(skip)]
    pub unit_names: UnitNames,
    /// `--unit`: the site is this unit's column alone.
    #[serde(skip)]
    pub unit_only: Option<UnitId>,
    /// The county's site this column belongs to (its base URL), for the
    /// link back to it from a unit's column.
    #[serde(skip)]
    pub county_home: Option<BaseUrl>,
    /// Where `gongkai deploy` publishes.
    #[serde(default)]
    pub deploy: DeployConfig,
    /// What `gongkai check` looks for beyond the build.
    #[serde(default)]
    pub check: CheckConfig,
    /// The formats each notice is also published in (`[docx]`).
    #[serde(default)]
    pub exports: Vec<Export>,
    /// What the file says that is not wrong but not ready either
    /// (placeholders); `build` and `check` show them.
    #[serde(skip)]
    pub warnings: Vec<Diagnostic>,
}

impl SiteConfig {
    /// Reads and validates `site.yaml` in `root`.
    pub fn load(root: &Path) -> Result<SiteConfig, Vec<Diagnostic>> {
        let path = root.join(CONFIG_FILE);
        let shown = PathBuf::from(CONFIG_FILE);
        // Through `files::read`, which refuses a pipe or a device (reading
        // one would wait forever) and a link out of the site.
        let text = match crate::files::read(root, &shown) {
            Ok(bytes) => crate::files::decode(&shown, bytes).map_err(|d| vec![d])?,
            Err(_) if !path.exists() && !path.is_symlink() => {
                return Err(vec![
                    Diagnostic::error(
                        Code::Config,
                        &shown,
                        format!("找不到站点配置文件 {}", path.display()),
                    )
                    .help("请在站点根目录运行 gongkai，或用 --root 指定站点目录。"),
                ]);
            }
            Err(d) => return Err(vec![d]),
        };
        let config = SiteConfig::parse(&text, &shown)?;
        config.check_theme(root, &text, &shown)?;
        Ok(config)
    }

    /// The theme must be a folder in `themes/`, or the built-in `default`.
    fn check_theme(&self, root: &Path, text: &str, file: &Path) -> Result<(), Vec<Diagnostic>> {
        let dir = root.join(THEMES).join(&self.theme);
        if self.theme == "default" || dir.is_dir() {
            return Ok(());
        }
        let (line, column) = yaml::locate(text, &[Seg::Key("theme")]).unwrap_or((1, 1));
        Err(vec![
            Diagnostic::error(
                Code::Theme,
                file,
                format!(
                    "找不到主题“{}”：没有文件夹 {THEMES}/{}/",
                    self.theme, self.theme
                ),
            )
            .at(line, column)
            .with_source(text)
            .width(self.theme.chars().count())
            .help(
                "删掉 theme 这一行即可使用内置的默认主题；自己的主题放在站点的 themes/ 文件夹里。",
            ),
        ])
    }

    /// Parses and validates the text of `site.yaml`.
    pub fn parse(text: &str, file: &Path) -> Result<SiteConfig, Vec<Diagnostic>> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut config: SiteConfig = yaml::parse(text).map_err(|errors| {
            errors
                .into_iter()
                .map(|e| {
                    let help = match &e.kind {
                        YamlErrorKind::UnknownField(field)
                            if e.path.as_deref().is_some_and(|p| p.starts_with("deploy"))
                                && is_secret(field) =>
                        {
                            Some(SECRET_HELP.to_string())
                        }
                        _ => e.help,
                    };
                    let d = Diagnostic::error(Code::Config, file, e.message)
                        .at(e.line, e.column)
                        .unlisted(e.unlisted)
                        .with_source(text);
                    match help {
                        Some(h) => d.help(h),
                        None => d,
                    }
                })
                .collect::<Vec<_>>()
        })?;
        for c in &mut config.categories {
            if c.short.trim().is_empty() {
                c.short = c.name.clone();
            }
        }
        for u in &mut config.units {
            if u.short.trim().is_empty() {
                u.short = u.name.clone();
            }
        }
        config.unit_names = UnitNames::new(&config.units);
        config.warnings = crate::placeholder::in_config(file, text);
        config.check.read_period();
        let mut errors = config.validate(text, file);
        errors.extend(county::read(&mut config, text, file));
        match config.base_url_text.as_deref().map(BaseUrl::parse) {
            Some(Ok(url)) => config.base_url = Some(url),
            Some(Err(e)) => {
                let (line, column) = yaml::locate(text, &[Seg::Key("base_url")]).unwrap_or((1, 1));
                errors.push(
                    Diagnostic::error(Code::Config, file, e.message)
                        .at(line, column)
                        .with_source(text)
                        .help(e.help),
                );
            }
            None => {}
        }
        if errors.is_empty() {
            Ok(config)
        } else {
            Err(errors)
        }
    }

    fn validate(&self, text: &str, file: &Path) -> Vec<Diagnostic> {
        let mut errors = Vec::new();
        let mut error_at = |path: &[Seg<'_>], message: String, help: &str| {
            let (line, column) = yaml::locate(text, path).unwrap_or((1, 1));
            errors.push(
                Diagnostic::error(Code::Config, file, message)
                    .at(line, column)
                    .with_source(text)
                    .help(help),
            );
        };
        if !is_theme_name(&self.theme) {
            error_at(
                &[Seg::Key("theme")],
                format!("主题名“{}”不能用", self.theme),
                "主题名是 themes/ 里的一个文件夹名，只能用字母、数字、- 和 _，例如 theme: default",
            );
        }
        if self.categories.is_empty() {
            error_at(
                &[Seg::Key("categories")],
                "至少要有一个问题类别".into(),
                "例如 categories: [{key: policy, name: 贯彻落实党的路线方针政策和党中央决策部署存在的问题, short: 政策落实}]",
            );
        }
        for (i, c) in self.categories.iter().enumerate() {
            if !crate::slug::is_valid(&c.key) {
                error_at(
                    &[Seg::Key("categories"), Seg::Index(i), Seg::Key("key")],
                    format!("类别 key“{}”不能用作网址", c.key),
                    format!(
                        "key 只能用小写英文字母、数字和连字符（-），例如 policy、team-building{}。",
                        crate::slug::reserved_hint(&c.key)
                    )
                    .as_str(),
                );
            }
            if self.categories[..i].iter().any(|o| o.key == c.key) {
                error_at(
                    &[Seg::Key("categories"), Seg::Index(i), Seg::Key("key")],
                    format!("类别 key“{}”重复了", c.key),
                    "每个类别的 key 必须不同。",
                );
            }
        }
        self.check.validate(&mut error_at);
        for (key, value) in [
            ("notices_per_page", self.notices_per_page),
            ("problems_per_page", self.problems_per_page),
        ] {
            if value == 0 {
                error_at(
                    &[Seg::Key(key)],
                    format!("{key} 不能为 0"),
                    "请写一个正整数，例如 20。",
                );
            }
        }
        errors
    }

    /// Looks up a category by its key.
    pub fn category_id(&self, key: &str) -> Option<CategoryId> {
        self.categories
            .iter()
            .position(|c| c.key == key)
            .map(CategoryId)
    }

    pub fn category(&self, id: CategoryId) -> &Category {
        &self.categories[id.0]
    }

    /// `policy（贯彻落实……）、corruption（……）`, for error messages.
    pub fn category_list(&self) -> String {
        self.categories
            .iter()
            .map(|c| format!("{}（{}）", c.key, c.name))
            .collect::<Vec<_>>()
            .join("、")
    }

    pub fn unit(&self, id: UnitId) -> &Unit {
        &self.units[id.0]
    }

    /// The unit whose folder is `slug`.
    pub fn unit_by_slug(&self, slug: &str) -> Option<UnitId> {
        self.units.iter().position(|u| u.slug == slug).map(UnitId)
    }

    pub fn county_round(&self, id: CountyRoundId) -> &CountyRound {
        &self.rounds[id.0]
    }

    /// The county round with id `id`.
    pub fn county_round_by_id(&self, id: &str) -> Option<CountyRoundId> {
        self.rounds
            .iter()
            .position(|r| r.id == id)
            .map(CountyRoundId)
    }

    /// Whether each notice is published with its Word copy.
    pub fn word_copies(&self) -> bool {
        self.exports.contains(&Export::Docx)
    }

    /// Whether a notice of `unit` needs an approval record to be published.
    pub fn requires_review(&self, unit: Option<UnitId>) -> bool {
        unit.and_then(|u| self.unit(u).review.required)
            .unwrap_or(self.require_review)
    }

    /// Whether the site shows its units' columns and the county rounds:
    /// a county's site, not one unit's column.
    pub fn is_county(&self) -> bool {
        !(self.units.is_empty() && self.rounds.is_empty()) && self.unit_only.is_none()
    }

    /// Makes the site the column of the unit `slug` alone (`--unit`): its
    /// notices, its name and contact; a link back to the county's site
    /// when that has a base URL. The base URL is the column's own, from
    /// `--base-url`.
    pub fn only_unit(&mut self, slug: &str) -> Result<(), Diagnostic> {
        let Some(id) = self.unit_by_slug(slug) else {
            let known: Vec<&str> = self.units.iter().map(|u| u.slug.as_str()).collect();
            let help = if known.is_empty() {
                "site.yaml 没有声明 units：只有一个单位的站点直接用 gongkai build。".to_string()
            } else {
                format!("可用的单位：{}", known.join("、"))
            };
            return Err(Diagnostic::error(
                Code::Config,
                "--unit",
                format!("site.yaml 的 units 里没有 slug 为“{slug}”的单位"),
            )
            .help(help));
        };
        let unit = self.unit(id).clone();
        self.title = format!("{}{}", unit.short, self.column);
        self.organization = Some(unit.name.clone());
        self.contact = unit.contact.clone().or(self.contact.take());
        self.require_review = self.requires_review(Some(id));
        self.county_home = self.base_url.take();
        self.unit_only = Some(id);
        Ok(())
    }

    /// Overrides the base URL (from the command line).
    pub fn set_base_url(&mut self, url: &str) -> Result<(), Diagnostic> {
        let url = BaseUrl::parse(url)
            .map_err(|e| Diagnostic::error(Code::Config, "--base-url", e.message).help(e.help))?;
        self.base_url = Some(url);
        Ok(())
    }
}

/// A theme is the name of a folder inside `themes/`: nothing that could
/// lead elsewhere (`..`, `/`, a drive letter).
fn is_theme_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
}

/// Why keys are not accepted in `site.yaml`.
const SECRET_HELP: &str = "访问密钥不能写进 site.yaml（它会进入 git 和网站）：请放在环境变量 AWS_ACCESS_KEY_ID、AWS_SECRET_ACCESS_KEY 里，或站点以外的 ~/.aws/credentials（deploy: { profile: 名称 }）。";

/// A field name that would hold a secret.
fn is_secret(field: &str) -> bool {
    let field = field.to_ascii_lowercase();
    ["key", "secret", "password", "token"]
        .iter()
        .any(|w| field.contains(w))
}

fn default_language() -> String {
    "zh-CN".into()
}

fn default_column() -> String {
    "党务公开".into()
}

fn default_per_page() -> usize {
    20
}

fn default_problems_per_page() -> usize {
    50
}

fn default_true() -> bool {
    true
}

fn default_theme() -> String {
    "default".into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<SiteConfig, Vec<Diagnostic>> {
        SiteConfig::parse(text, Path::new("site.yaml"))
    }

    /// The example site's and the test sites' `site.yaml`, and the one
    /// `init` writes, read the same through the fast YAML reader as
    /// through the full one; the example site's is read fast.
    #[test]
    fn site_files_read_alike_fast_and_in_full() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut texts = vec![crate::commands::init::site_yaml("某机关")];
        for site in [
            "",
            "tests/fixtures/sites/basic",
            "tests/fixtures/sites/series",
            "tests/fixtures/sites/small",
        ] {
            let file = root.join(site).join(crate::folders::CONFIG_FILE);
            texts.push(std::fs::read_to_string(&file).expect("a site.yaml"));
        }
        for (i, text) in texts.iter().enumerate() {
            let fast = crate::yaml::fast::read::<SiteConfig>(text);
            let full = serde_yaml::from_str::<SiteConfig>(text).ok();
            assert!(fast.is_some() || i > 1, "site.yaml {i} is not read fast");
            if fast.is_some() {
                assert_eq!(fast, full, "site.yaml {i}");
            }
        }
    }

    #[test]
    fn minimal_config_gets_defaults() {
        let c = parse("title: 党务公开\norganization: 某机关\n").unwrap();
        assert_eq!(c.language, "zh-CN");
        assert_eq!(c.categories.len(), 3);
        assert_eq!(c.category_id("team"), Some(CategoryId(2)));
        assert_eq!(c.notices_per_page, 20);
        assert_eq!(c.base_url, None);
    }

    #[test]
    fn unknown_keys_list_the_known_ones() {
        let errors = parse("title: a\norganization: b\nbase_ulr: https://x/\n").unwrap_err();
        let d = &errors[0];
        assert!(d.message.contains("未知字段 base_ulr"), "{}", d.message);
        let help = d.help.as_deref().unwrap();
        assert!(help.contains("base_url"), "{help}");
        assert!(help.contains("require_review"), "{help}");
    }

    #[test]
    fn categories_are_validated_with_positions() {
        let text = "title: a\norganization: b\ncategories:\n  - {key: policy, name: 甲, short: 甲}\n  - key: 政策\n    name: 乙\n    short: 乙\n  - {key: policy, name: 丙, short: 丙}\n";
        let errors = parse(text).unwrap_err();
        assert_eq!(errors.len(), 2);
        assert_eq!((errors[0].line, errors[0].column), (5, 10));
        assert!(errors[1].message.contains("重复"));
        assert_eq!(errors[1].line, 8);
    }

    #[test]
    fn base_url_gets_one_trailing_slash() {
        let c =
            parse("title: a\norganization: b\nbase_url: https://example.gov.cn/dwgk\n").unwrap();
        assert_eq!(
            c.base_url.as_ref().map(BaseUrl::as_str),
            Some("https://example.gov.cn/dwgk/")
        );
        assert!(parse("title: a\norganization: b\nbase_url: example.gov.cn\n").is_err());
    }

    #[test]
    fn deploy_settings_are_read_and_keys_refused() {
        let c = parse("title: a\ndeploy:\n  to: s3://dwgk/site\n  endpoint: https://oss-cn-hangzhou.aliyuncs.com\n  max_deletes: 50\n").unwrap();
        assert_eq!(c.deploy.to.as_deref(), Some("s3://dwgk/site"));
        assert_eq!(c.deploy.max_deletes, Some(50));
        let e =
            parse("title: a\ndeploy:\n  to: zip:a.zip\n  secret_access_key: abc\n").unwrap_err();
        assert_eq!((e[0].line, e[0].code), (4, Code::Config));
        assert!(
            e[0].help
                .as_deref()
                .unwrap()
                .contains("AWS_SECRET_ACCESS_KEY")
        );
        let e = parse("title: a\ndeploy:\n  too: zip:a.zip\n").unwrap_err();
        assert!(e[0].help.as_deref().unwrap().contains("endpoint"));
    }

    #[test]
    fn exports_are_known_formats() {
        let c = parse("title: a\nexports: [docx]\n").unwrap();
        assert!(c.word_copies());
        assert!(!parse("title: a\n").unwrap().word_copies());
        let e = parse("title: a\nexports:\n  - docx\n  - pdf\n").unwrap_err();
        assert_eq!((e[0].code, e[0].line, e[0].column), (Code::Config, 4, 5));
        assert!(e[0].message.contains("pdf"), "{}", e[0].message);
        assert!(
            format!("{:?}", e[0].help).contains("docx"),
            "{:?}",
            e[0].help
        );
    }

    #[test]
    fn a_theme_is_a_folder_name() {
        let e = parse("title: a\norganization: b\ntheme: ../../../../etc\n").unwrap_err();
        assert_eq!((e[0].line, e[0].column), (3, 8));
        assert!(parse("title: a\ntheme: 红色-2\n").is_ok());
        assert!(parse("title: a\ntheme: a/b\n").is_err());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(crate::testing::fuzz_cases(300)))]

        /// Any mangling of a site.yaml: an answer, never a panic, soon.
        #[test]
        fn mangled_site_yaml_never_panics(
            changes in proptest::collection::vec(crate::testing::mutate::change(), 1..8)
        ) {
            let seed = include_str!("../../site.yaml");
            let text = crate::testing::mutate::apply(seed, &changes);
            let started = std::time::Instant::now();
            let _ = parse(&text);
            proptest::prop_assert!(started.elapsed() < std::time::Duration::from_secs(2));
        }
    }
}
