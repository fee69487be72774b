//! The expectations a test's story repeats, as steps of [`SiteTest`] that
//! chain: `site.edit(..).build_fails_with(&[error(Code::Follows, FILE, 6)])`
//! or `site.built().page_has("index.html", &["..."])`. Diagnostics are
//! matched on their [`Code`], file and line, never on their wording.

use std::fmt;

use gongkai::Diagnostics;
use gongkai::diagnostic::{Code, Severity};

use super::{SiteTest, tree};

/// A diagnostic as a test expects it: its code and severity, and where.
#[derive(Clone, PartialEq, Eq)]
pub struct Diagnosed {
    pub code: Code,
    pub severity: Severity,
    /// Relative to the site: `content/notices/a.md`.
    pub file: String,
    /// 0 for the file as a whole.
    pub line: usize,
}

impl fmt::Debug for Diagnosed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{kind}[{:?}] {}:{}", self.code, self.file, self.line)
    }
}

/// An error of `code` at `file:line`.
pub fn error(code: Code, file: &str, line: usize) -> Diagnosed {
    Diagnosed {
        code,
        severity: Severity::Error,
        file: file.to_string(),
        line,
    }
}

/// A warning of `code` at `file:line`.
pub fn warning(code: Code, file: &str, line: usize) -> Diagnosed {
    Diagnosed {
        severity: Severity::Warning,
        ..error(code, file, line)
    }
}

/// Every diagnostic of `found`, in its order, as a test expects them.
fn diagnosed(found: &Diagnostics) -> Vec<Diagnosed> {
    found
        .0
        .iter()
        .map(|d| Diagnosed {
            code: d.code,
            severity: d.severity,
            file: d.file.display().to_string().replace('\\', "/"),
            line: d.line,
        })
        .collect()
}

impl SiteTest {
    /// Builds into `public/`; the build must succeed.
    #[track_caller]
    pub fn built(&self) -> &SiteTest {
        self.build();
        self
    }

    /// Builds, expecting exactly these errors, in this order (warnings
    /// aside); the failed build leaves `public/` as it was.
    #[track_caller]
    pub fn build_fails_with(&self, expected: &[Diagnosed]) -> &SiteTest {
        let before = self.public().exists().then(|| tree(&self.public()));
        let found = self.build_errors();
        let errors: Vec<Diagnosed> = diagnosed(&found)
            .into_iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        assert_eq!(errors, expected, "the build reported:\n{found}");
        let after = self.public().exists().then(|| tree(&self.public()));
        assert!(before == after, "the failed build changed public/");
        self
    }

    /// `gongkai check` finds exactly these, errors and warnings, in this
    /// order; `&[]` for a quiet site.
    #[track_caller]
    pub fn check_finds(&self, expected: &[Diagnosed]) -> &SiteTest {
        let found = self.check();
        assert_eq!(diagnosed(&found), expected, "check reported:\n{found}");
        self
    }

    /// Of the kinds `codes`, `gongkai check` finds exactly these: for a
    /// site whose other findings (its page tags, its columns) are not the
    /// story.
    #[track_caller]
    pub fn check_finds_of(&self, codes: &[Code], expected: &[Diagnosed]) -> &SiteTest {
        let found = self.check();
        let of: Vec<Diagnosed> = diagnosed(&found)
            .into_iter()
            .filter(|d| codes.contains(&d.code))
            .collect();
        assert_eq!(of, expected, "check reported:\n{found}");
        self
    }

    /// The output file `rel` contains each of `texts`.
    #[track_caller]
    pub fn page_has(&self, rel: &str, texts: &[&str]) -> &SiteTest {
        let page = self.page(rel);
        for text in texts {
            assert!(page.contains(text), "{rel} lacks {text:?}");
        }
        self
    }

    /// The output file `rel` contains none of `texts`.
    #[track_caller]
    pub fn page_lacks(&self, rel: &str, texts: &[&str]) -> &SiteTest {
        let page = self.page(rel);
        for text in texts {
            assert!(!page.contains(text), "{rel} has {text:?}");
        }
        self
    }
}
