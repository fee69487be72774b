//! `site.yaml` as the site-wide lints quote it: a finding about a setting
//! (a column, the 网站标识码) is placed at the setting's line, or on the
//! file as a whole when the site leaves the setting out.

use std::path::Path;

use crate::diagnostic::{Code, Diagnostic};
use crate::folders::CONFIG_FILE;
use crate::yaml::{self, Seg};

/// The text of `site.yaml`, read again for the lints (empty when it
/// cannot be: the configuration's own errors say why).
pub struct SiteYaml {
    pub text: String,
}

impl SiteYaml {
    pub fn read(root: &Path) -> SiteYaml {
        let file = Path::new(CONFIG_FILE);
        let text = crate::files::read(root, file)
            .and_then(|bytes| crate::files::decode(file, bytes))
            .unwrap_or_default();
        SiteYaml { text }
    }

    /// A warning about the setting at the first of `paths` that the file
    /// writes; about the whole file when it writes none of them.
    pub fn warning(&self, code: Code, paths: &[&[Seg<'_>]], message: String) -> Diagnostic {
        let d = Diagnostic::warning(code, CONFIG_FILE, message);
        match paths.iter().find_map(|p| yaml::locate(&self.text, p)) {
            Some((line, column)) => d.at(line, column).with_source(&self.text),
            None => d,
        }
    }
}
