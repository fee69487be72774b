//! What a pipeline is for ([`Options`]): which site, what it publishes,
//! where it lives, and from what size `build` streams.

use std::path::{Path, PathBuf};

use crate::folders::PUBLIC;
use crate::render;

/// What a pipeline is for: which site, what it publishes, where it lives.
/// `build` and `serve` take these from the command line as they are (the
/// field docs are their help text, written for the terminal).
#[allow(rustdoc::bare_urls)]
#[derive(Debug, Clone, clap::Args)]
pub struct Options {
    /// 站点根目录（含 site.yaml 和 content/），默认当前目录。
    /// Site folder (with site.yaml and content/); default: the current folder.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// 同时生成草稿和未审批的通报，仅供预览，不要部署。
    /// Also publish drafts and unapproved notices (for previews; do not deploy).
    #[arg(long)]
    pub drafts: bool,
    /// 网站的完整地址（如 https://www.example.gov.cn/dwgk/），用于 feed.xml、sitemap.xml
    /// 和 canonical 链接，覆盖 site.yaml 的 base_url。
    /// Absolute URL the site is deployed at (for feed, sitemap, canonical links);
    /// overrides base_url of site.yaml.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// 输出目录，默认 站点根目录/public。
    /// Output folder; default: public/ in the site folder (`serve`: a folder of its own).
    #[arg(short, long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// 只生成一个单位的栏目（site.yaml 里 units 的 slug），交给集约化平台。
    /// Only one unit's column (a slug of `units` in site.yaml), to hand to the platform.
    #[arg(long, value_name = "SLUG")]
    pub unit: Option<String>,
    /// From how many notices `build` streams (see [`STREAM_FROM`]); for
    /// tests and benchmarks.
    #[arg(long, hide = true, value_name = "N", default_value_t = STREAM_FROM)]
    pub stream_from: usize,
    /// How many notices a streamed build takes at a time (for tests).
    #[arg(skip = render::stream::BATCH)]
    pub stream_batch: usize,
}

/// From this many notice files on, `build` streams: the notices' sources
/// are freed as they are read, and the render stage compiles, indexes and
/// renders them a batch at a time (`render::stream`), so that memory is
/// bounded by the batch, not the site. Below it, everything is compiled
/// once and held, which is faster (at 10,000 notices, under 1 GiB).
pub const STREAM_FROM: usize = 20_000;

impl Options {
    pub fn new(root: impl Into<PathBuf>) -> Options {
        Options {
            root: root.into(),
            drafts: false,
            base_url: None,
            output: None,
            unit: None,
            stream_from: STREAM_FROM,
            stream_batch: render::stream::BATCH,
        }
    }

    /// Where `build` writes: `--output`, or `public/` in the site folder.
    pub fn output_dir(&self) -> PathBuf {
        match &self.output {
            Some(output) => output.clone(),
            None if self.root == Path::new(".") => PathBuf::from(PUBLIC),
            None => self.root.join(PUBLIC),
        }
    }
}
