//! The driver: the one place that knows the order of the stages.
//!
//! 1. **inputs** ([`Pipeline::open`]): `site.yaml`, the theme and its
//!    templates, and every notice (`load`);
//! 2. **model** ([`Pipeline::model`]): the publish policy, the links between
//!    notices, each notice's Markdown compiled, the indexes (`model`);
//! 3. **search**: the full-text index, made from the texts the model stage
//!    left for it (`search`);
//! 4. **render**: every page, the open data, feed, sitemap and Word copies
//!    (`exports: [docx]`), then the static files, into a `Sink` (`render`).
//!
//! A build of a big site ([`STREAM_FROM`] notices) streams: the notices'
//! sources are freed when read, and stages 2–4 compile, index and render
//! the notices a batch at a time (`render::stream`). A big site's preview
//! frees them too, and reads a notice's file again when it compiles it
//! ([`Pipeline::open_for_serve`]).
//!
//! The commands are thin callers. `build` calls [`Pipeline::run`], which
//! goes through the stages in that order into a staging folder that
//! replaces the output only when everything succeeded. `check` calls
//! [`Pipeline::check`]: the same stages into a probe that writes nothing,
//! then the lints of `lint`. `serve` keeps a pipeline between edits:
//! [`Pipeline::reread`] reads again only the inputs that changed, the
//! compiled notices are kept in a cache (and the whole model, for a save
//! that moved no notice: `model/last.rs`), [`Pipeline::run_pages`] renders
//! only the pages whose content changed, and [`Pipeline::site_wide`] the
//! search index and the site-wide files after them, so that the browser
//! reloads sooner.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use rustc_hash::FxHashMap;

use crate::config::SiteConfig;
use crate::content::Day;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::folders::Part;
use crate::lint;
use crate::load::Notices;
use crate::model::{CompileCache, Publish, Site, Sources, Texts};
use crate::output::{Probe, Sink, Tee};
use crate::render::{self, ListedKeys, Page, Pieces, Templates, Theme, Written};
use crate::stopwatch::Stopwatch;

mod site_wide;
mod streamed;

pub use site_wide::{Kept, SiteWide};
use site_wide::{search_index, write_search_index};

pub use crate::options::{Options, STREAM_FROM};

/// The inputs of a site, as last read, and what is kept between runs.
pub struct Pipeline {
    options: Options,
    config: Result<SiteConfig, Vec<Diagnostic>>,
    /// The theme and its compiled templates, or why they are missing;
    /// shared with the site-wide stage that `serve` runs on its own.
    theme: Result<Arc<(Theme, Templates)>, Vec<Diagnostic>>,
    notices: Notices,
    /// From how many notices their sources are freed when read.
    lean_from: usize,
    /// The notices' sources were freed when read: a build streams, a
    /// preview reads a notice again when it compiles it.
    lean: bool,
    cache: CompileCache,
    /// What `serve`'s lists showed of each notice at the last save.
    listed: ListedKeys,
    clock: Stopwatch,
}

/// The model of the site (stage 2), and the plain texts it made for the
/// search stage.
pub struct Model {
    pub site: Site,
    pub texts: Texts,
}

/// How [`Pipeline::run`] treats mistakes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Render nothing once any stage found an error (a build).
    Build,
    /// Go as far as possible and report everything (a check).
    Check,
}

/// What [`Pipeline::check`] found, and the notices `build` would not
/// publish.
pub struct Checked {
    pub found: Diagnostics,
    /// Each notice left out of the published site, and why.
    pub withheld: Vec<(PathBuf, String)>,
    /// What was looked at, for the 自查报告.
    pub scope: lint::Scope,
}

/// The pages [`Pipeline::run_pages`] rendered for `serve`.
pub struct Rendered {
    pub site: Site,
    pub texts: Texts,
    /// The fingerprint of what each page shows (and each Word copy's).
    pub written: Written,
}

/// What a run did.
#[derive(Debug)]
pub struct Run {
    /// The site that was rendered, if it was.
    pub site: Option<Site>,
    /// Every error and warning found, sorted.
    pub diagnostics: Diagnostics,
    /// Pages rendered.
    pub pages: usize,
}

/// What [`Pipeline::reread`] read again.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reread {
    /// Configuration or templates: every page may look different.
    pub everything: bool,
    /// The static files.
    pub statics: bool,
}

impl Pipeline {
    /// Stage 1: reads `site.yaml`, the theme and every notice, to be held
    /// in memory (`check`, `deploy`).
    pub fn open(options: Options) -> Pipeline {
        let pipeline = Pipeline::open_lean_from(options, usize::MAX);
        // What one stage frees, the next uses.
        crate::memory::keep_freed_memory();
        pipeline
    }

    /// Stage 1, freeing the notices' sources when there are `lean_from`
    /// of them or more (see `streamed.rs`).
    fn open_lean_from(options: Options, lean_from: usize) -> Pipeline {
        let mut pipeline = Pipeline {
            options,
            config: Err(Vec::new()),
            theme: Err(Vec::new()),
            notices: Notices::default(),
            lean_from,
            lean: false,
            cache: CompileCache::default(),
            listed: ListedKeys::default(),
            clock: Stopwatch::new(),
        };
        pipeline.read_everything(lean_from);
        pipeline
    }

    /// Reads everything; frees the notices' sources when there are
    /// `lean_from` of them or more.
    fn read_everything(&mut self, lean_from: usize) {
        let root = self.options.root.clone();
        self.config = SiteConfig::load(&root).and_then(|mut config| {
            // A unit's column first: the base URL of site.yaml is then the
            // county's, and `--base-url` the column's own.
            if let Some(unit) = &self.options.unit {
                config.only_unit(unit).map_err(|d| vec![d])?;
            }
            if let Some(url) = &self.options.base_url {
                config.set_base_url(url).map_err(|d| vec![d])?;
            }
            Ok(config)
        });
        self.read_theme();
        self.clock.lap("读取配置和模板 config and templates");
        self.cache = CompileCache::default();
        // Without a configuration the notices are still read, for the
        // mistakes they can be checked for alone.
        (self.notices, self.lean) =
            Notices::read_for_build(&root, self.config.as_ref().ok(), lean_from);
        self.clock.lap("读取通报 load");
    }

    /// Reads the theme and compiles its templates.
    fn read_theme(&mut self) {
        let Ok(config) = &self.config else {
            self.theme = Err(Vec::new());
            return;
        };
        self.theme = Theme::load(&self.options.root, &config.theme).and_then(|theme| {
            let templates = Templates::compile(&theme, config)?;
            Ok(Arc::new((theme, templates)))
        });
    }

    /// Stage 1 again, for what changed on disk (`serve`).
    pub fn reread(&mut self, changes: &Changes) -> Reread {
        if changes.config || self.config.is_err() {
            self.listed.clear();
            self.read_everything(self.lean_from);
            return Reread {
                everything: true,
                statics: true,
            };
        }
        // A static file may be a notice's attachment.
        let paths = [changes.content.as_slice(), &changes.statics].concat();
        if !paths.is_empty() {
            let config = self.config.as_ref().ok();
            self.notices.reread(&self.options.root, config, &paths);
        }
        let statics = !changes.statics.is_empty();
        if changes.templates || statics {
            self.read_theme();
        }
        Reread {
            everything: changes.templates,
            statics,
        }
    }

    /// The site folder.
    pub fn root(&self) -> &Path {
        &self.options.root
    }

    /// The configuration, when `site.yaml` could be read.
    pub fn config(&self) -> Option<&SiteConfig> {
        self.config.as_ref().ok()
    }

    /// The notice files as read.
    pub fn notices(&self) -> &Notices {
        &self.notices
    }

    /// Which notices are published.
    pub fn publish(&self) -> Publish {
        Publish {
            drafts: self.options.drafts,
        }
    }

    /// Every error and warning of stage 1.
    pub fn input_diagnostics(&self) -> Diagnostics {
        let mut found = Diagnostics::default();
        match &self.config {
            Ok(config) => found.extend(config.warnings.iter().cloned()),
            Err(ds) => found.extend(ds.iter().cloned()),
        }
        if let Err(ds) = &self.theme {
            found.extend(ds.iter().cloned());
        }
        found.extend(self.notices.diagnostics());
        found
    }

    /// Stage 2 for `serve`: the model of the site as `publish` selects
    /// it, with every mistake found on the way, kept for the next save to
    /// reuse. `None` when there is no configuration.
    pub fn model(&mut self, publish: Publish) -> Option<(Model, Vec<Diagnostic>)> {
        self.model_with(publish, Sources::KeepForEdits)
    }

    fn model_with(
        &mut self,
        publish: Publish,
        sources: Sources,
    ) -> Option<(Model, Vec<Diagnostic>)> {
        let config = self.config.as_ref().ok()?.clone();
        let failed = self.notices.failed();
        let notices = match sources {
            Sources::KeepForEdits | Sources::Keep => self.notices.valid(),
            // The only holder of the notices is then the model, which frees
            // each one's sources once it is compiled.
            Sources::Drop | Sources::Defer => std::mem::take(&mut self.notices).into_valid(),
        };
        let (site, texts, errors) = Site::build(
            config,
            notices,
            &failed,
            publish,
            &mut self.cache,
            sources,
            &self.options.root,
        );
        Some((Model { site, texts }, errors))
    }

    /// All the stages, in order, into `out`.
    pub fn run(&mut self, out: &dyn Sink, mode: Mode) -> Run {
        let mut found = self.input_diagnostics();
        let streamed = self.lean && mode == Mode::Build;
        // A build reads the sources no more once they are compiled, unless
        // its Word copies are made from them; a big site's build compiles
        // (and reads them again) in the render stage.
        let keep = mode == Mode::Check || self.config().is_some_and(SiteConfig::word_copies);
        let sources = if streamed {
            Sources::Defer
        } else if keep {
            Sources::Keep
        } else {
            Sources::Drop
        };
        let model = self.model_with(self.publish(), sources);
        self.clock.lap("站点模型和 Markdown site model");
        if streamed && (found.has_errors() || model.as_ref().is_none_or(|(_, e)| !e.is_empty())) {
            // Mistakes are placed in the text they quote: read it all
            // again and build as a small site would be.
            self.read_everything(usize::MAX);
            return self.run(out, mode);
        }
        let mut run = Run {
            site: None,
            diagnostics: Diagnostics::default(),
            pages: 0,
        };
        let Some((model, errors)) = model else {
            found.sort();
            run.diagnostics = found;
            return run;
        };
        found.extend(errors);
        let stop = mode == Mode::Build && found.has_errors();
        if !stop && self.theme.is_ok() {
            if mode == Mode::Build {
                self.cache = CompileCache::default();
            }
            let rendered = if streamed {
                self.render_streamed(model, out)
            } else {
                self.render_all(model, out)
            };
            match rendered {
                Ok((site, pages)) => {
                    run.site = Some(site);
                    run.pages = pages;
                }
                Err(ds) => found.extend(ds),
            }
        }
        found.sort();
        run.diagnostics = found;
        run
    }

    /// `check`: the published site validated as `build` would see it, the
    /// preview (every notice, when the pipeline was opened with `drafts`)
    /// rendered into a probe that writes nothing, to check templates and
    /// the links of every notice, then the lints of `lint` as of `today`:
    /// each notice's, the ledger's, and the spot checks' over the whole
    /// site (serious typos, columns, page tags; links out of the site when
    /// `options` ask for them).
    pub fn check(&mut self, today: Day, options: &lint::CheckOptions) -> Checked {
        self.check_into(today, options, None)
    }

    /// As [`Pipeline::check`], also writing what the probe sees into
    /// `also`: `deploy` checks and builds with one render. (When nothing
    /// is withheld, the preview the check renders is the published site.)
    pub fn check_into(
        &mut self,
        today: Day,
        options: &lint::CheckOptions,
        also: Option<&dyn Sink>,
    ) -> Checked {
        let mut found = Diagnostics::default();
        let withheld = self.withheld();
        // The published site, as `build` sees it, when it differs from the preview.
        if !withheld.is_empty()
            && let Some((_, errors)) = self.model_with(Publish { drafts: false }, Sources::Keep)
        {
            found.extend(errors);
        }
        let probe = Probe::default();
        let run = match also {
            Some(also) => self.run(&Tee(&probe, also), Mode::Check),
            None => self.run(&probe, Mode::Check),
        };
        found.extend(run.diagnostics.0);
        let notices = self.notices.valid();
        let mut scope = lint::Scope {
            notices: notices.len(),
            pages: run.pages,
            ..lint::Scope::default()
        };
        if let Some(config) = self.config() {
            // The later notices of each round, as the preview has them.
            let later: HashSet<&Path> = run.site.as_ref().map_or_else(HashSet::new, |site| {
                site.ledger
                    .rounds
                    .iter()
                    .flat_map(|r| r.notices.iter().skip(1))
                    .map(|&i| site.notice(i).source.as_path())
                    .collect()
            });
            for n in &notices {
                let context = lint::Context {
                    continues_round: later.contains(n.source.as_path()),
                };
                found.extend(lint::notice(n, config, today, context));
            }
        }
        if let Some(site) = &run.site {
            let pages = probe.into_pages();
            found.extend(lint::links(site, &pages));
            found.extend(lint::ledger(site));
            if let Ok((theme, _)) = self.theme.as_deref() {
                let root = &self.options.root;
                found.extend(lint::spot_checks(
                    site, &notices, theme, root, today, &pages,
                ));
                if let Some(external) = &options.external {
                    let (links, checked) = lint::external::lint(site, theme, &pages, external);
                    found.extend(links);
                    scope.external_links = Some(checked);
                }
            }
            scope.columns = lint::columns(site);
        }
        found.sort();
        Checked {
            found,
            withheld,
            scope,
        }
    }

    /// Each valid notice that `build` would leave out, and why.
    fn withheld(&self) -> Vec<(PathBuf, String)> {
        let Some(config) = self.config() else {
            return Vec::new();
        };
        let published = Publish { drafts: false };
        let mut withheld: Vec<(PathBuf, String)> = self
            .notices
            .valid()
            .iter()
            .filter_map(|n| Some((n.source.clone(), published.withheld(n, config)?)))
            .collect();
        withheld.sort();
        withheld
    }

    /// `serve`, first half: the model, then only the pages whose
    /// fingerprint is not the one in `known` (all of them when `known` is
    /// empty; `known` must be of the site this pipeline made last), into
    /// `out`. Errors of any stage render nothing, as in a
    /// build; warnings are left for `check`.
    pub fn run_pages(&mut self, known: &Written, out: &dyn Sink) -> Result<Rendered, Diagnostics> {
        let mut errors = self.input_diagnostics();
        errors.0.retain(Diagnostic::is_error);
        let Some((Model { site, texts }, model_errors)) = self.model(self.publish()) else {
            errors.sort();
            return Err(errors);
        };
        // Mistakes are placed in the text they quote: the notices they
        // are found in are read again with their sources, as an edit
        // would read them, and the model made again. (Only those: the
        // others stay lean.)
        let quoted = self
            .notices
            .lean_of(model_errors.iter().map(|d| d.file.as_path()));
        if !quoted.is_empty() {
            let config = self.config.as_ref().ok();
            self.notices.reread(&self.options.root, config, &quoted);
            return self.run_pages(known, out);
        }
        errors.extend(model_errors);
        if errors.has_errors() {
            errors.sort();
            return Err(errors);
        }
        let (_, templates) = self.theme.as_deref().map_err(|e| Diagnostics(e.clone()))?;
        let listed = &mut self.listed;
        let (pages, copies) = rayon::join(
            || render::render_changed(&site, templates, &known.pages, listed, out),
            || render::word_copies(&site, &self.options.root, &known.copies, out),
        );
        let written = Written {
            pages: pages.map_err(Diagnostics)?,
            copies: copies.map_err(Diagnostics)?,
        };
        Ok(Rendered {
            site,
            texts,
            written,
        })
    }

    /// `serve`'s second half as a value of its own, which a thread other
    /// than the pipeline's can run while the pipeline goes on.
    pub fn site_wide(&self) -> Result<SiteWide, Vec<Diagnostic>> {
        let theme = self.theme.as_ref().map_err(Clone::clone)?;
        Ok(SiteWide::new(theme.clone(), self.options.root.clone()))
    }

    /// Stages 3 and 4 for a whole site.
    fn render_all(
        &mut self,
        model: Model,
        out: &dyn Sink,
    ) -> Result<(Site, usize), Vec<Diagnostic>> {
        let Model { site, texts } = model;
        self.write_search(&site, texts, out)?;
        self.clock.lap("搜索索引 search index");
        let pages = render::pages::all(&site);
        // The open data, feeds and Word copies do not wait for the pages;
        // the static files do, so that none can take a page's place.
        let root = &self.options.root;
        let copies = || render::word_copies(&site, root, &FxHashMap::default(), out);
        let (rendered, (exported, copies)) = rayon::join(
            || self.render_pages(&site, &pages, out),
            || rayon::join(|| self.write_exports(&site, out), copies),
        );
        rendered?;
        exported?;
        copies?;
        self.copy_statics(out)?;
        self.clock.lap("生成并写入页面 render and write");
        Ok((site, pages.len()))
    }

    /// Stage 3: the search index, when the site has search. Its texts
    /// need not stay in memory afterwards.
    fn write_search(
        &self,
        site: &Site,
        texts: Texts,
        out: &dyn Sink,
    ) -> Result<(), Vec<Diagnostic>> {
        let Some(index) = search_index(site, texts) else {
            return Ok(());
        };
        let written = write_search_index(&index, out);
        // It holds every notice's text: freed beside the pages, not
        // before them.
        crate::memory::free_in_background(index);
        written
    }

    /// Stage 4, pages: renders `pages` into `out`.
    fn render_pages(
        &self,
        site: &Site,
        pages: &[Page],
        out: &dyn Sink,
    ) -> Result<(), Vec<Diagnostic>> {
        let (_, templates) = self.theme()?;
        render::render_pages(site, templates, pages, out)
    }

    /// Stage 4, open data, feed and sitemap, and the notices' attachments.
    fn write_exports(&self, site: &Site, out: &dyn Sink) -> Result<(), Vec<Diagnostic>> {
        let (theme, templates) = self.theme()?;
        // A build makes each piece of open data once.
        render::write_exports(site, theme, templates, out, &Pieces::default())?;
        render::copy_attachments(site, &self.options.root, out)
    }

    /// Stage 4, only the static files (`serve`, when only they changed).
    pub fn copy_statics(&self, out: &dyn Sink) -> Result<(), Vec<Diagnostic>> {
        render::copy_statics(&self.theme()?.0, out)
    }

    /// The output paths of the static files read from `sources` (`serve`).
    pub fn statics_read_from(&self, sources: &[PathBuf]) -> Vec<String> {
        self.theme().map_or_else(
            |_| Vec::new(),
            |(theme, _)| {
                let root = &self.options.root;
                theme
                    .statics_read_from(root, sources)
                    .map(String::from)
                    .collect()
            },
        )
    }

    fn theme(&self) -> Result<&(Theme, Templates), Vec<Diagnostic>> {
        self.theme.as_deref().map_err(Clone::clone)
    }

    /// Whether a build of this site streams: a big site, whose sources
    /// were freed when read and whose output is written a batch at a time.
    pub fn streams(&self) -> bool {
        self.lean
    }

    /// How long each stage took so far, for `build --verbose`.
    pub fn stages(&self) -> &[(&'static str, Duration)] {
        &self.clock.stages
    }
}

/// What changed on disk, sorted by what it means for the site.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    pub config: bool,
    pub templates: bool,
    /// Static files (of the site or the theme) that changed.
    pub statics: Vec<PathBuf>,
    /// Paths under `content/` that changed: files or whole folders.
    pub content: Vec<PathBuf>,
}

impl Changes {
    /// Sorts changed paths (absolute, or relative to `root`).
    pub fn of(root: &Path, paths: impl IntoIterator<Item = PathBuf>) -> Changes {
        let mut changes = Changes::default();
        for path in paths {
            let rel = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
            let name = rel
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if crate::folders::is_ignored(&name) {
                continue;
            }
            match Part::of(&rel) {
                Part::Config => changes.config = true,
                Part::Content => changes.content.push(rel),
                Part::Templates => changes.templates = true,
                Part::Static => changes.statics.push(rel),
                Part::Other => {}
            }
        }
        changes.content.sort();
        changes.content.dedup();
        changes
    }

    pub fn is_empty(&self) -> bool {
        self == &Changes::default()
    }
}
