//! The driver's half for a big site's build, streamed (see
//! [`STREAM_FROM`](super::STREAM_FROM)): the notices' sources are freed
//! when read ([`Pipeline::open_for_build`]), and stages 2–4 compile, index
//! and render them a batch at a time ([`render::stream`]). A mistake is
//! found again with every source read, and told as a small site's are.

use super::{Model, Options, Pipeline};
use crate::diagnostic::Diagnostic;
use crate::model::{Site, Sources};
use crate::output::Sink;
use crate::render;

impl Pipeline {
    /// Stage 1 for `build`: as [`Pipeline::open`], but a site of
    /// [`Options::stream_from`] notices or more is read lean, to be built
    /// streamed.
    pub fn open_for_build(options: Options) -> Pipeline {
        let from = options.stream_from;
        let pipeline = Pipeline::open_lean_from(options, from);
        if !pipeline.lean {
            // A site held in memory: what one stage frees, the next uses.
            crate::memory::keep_freed_memory();
        }
        pipeline
    }

    /// Stage 1 for `serve`: as [`Pipeline::open`], but the sources of a
    /// site of [`Options::stream_from`] notices or more are freed when
    /// read, as a streamed build's are. The preview keeps every notice's
    /// compiled HTML and text, not its file's text and Markdown as well: a
    /// notice is read again when it must be compiled (its links changed)
    /// or its Word copy made, and kept when a mistake is found in it, to
    /// place the mistake in its text. (At 100,000 notices, the preview
    /// then holds 14.8 GB after its first build instead of 19.7.)
    pub fn open_for_serve(options: Options) -> Pipeline {
        let from = options.stream_from;
        Pipeline::open_lean_from(options, from)
    }

    /// Stages 3 and 4 for a big site, streamed ([`render::stream`]): the
    /// notices are compiled, indexed and rendered a batch at a time, then
    /// the search index, the other pages, open data and static files are
    /// written. Mistakes found in the notices are reported as a build of
    /// their sources in memory reports them.
    pub(super) fn render_streamed(
        &mut self,
        model: Model,
        out: &dyn Sink,
    ) -> Result<(Site, usize), Vec<Diagnostic>> {
        let Model { mut site, .. } = model;
        let written = self.theme().and_then(|(theme, templates)| {
            let (root, batch) = (&self.options.root, self.options.stream_batch);
            render::stream::site(&mut site, root, theme, templates, out, batch)
        });
        self.clock
            .lap("编译、索引并生成页面 compile, index and render");
        match written {
            Ok(pages) => Ok((site, pages)),
            Err(errors) => Err(self.diagnose_again(errors)),
        }
    }

    /// The mistakes of a streamed build, found again with every source
    /// read, so that each is placed in its text as a small site's are; the
    /// streamed build's own when that finds none (a file changed while it
    /// ran).
    fn diagnose_again(&mut self, streamed: Vec<Diagnostic>) -> Vec<Diagnostic> {
        self.read_everything(usize::MAX);
        let mut found = self.input_diagnostics();
        if let Some((_, errors)) = self.model_with(self.publish(), Sources::Keep) {
            found.extend(errors);
        }
        if !found.has_errors() {
            found.extend(streamed);
        }
        found.0.retain(Diagnostic::is_error);
        found.0
    }
}
