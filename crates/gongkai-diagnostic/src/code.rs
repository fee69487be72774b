//! The stable names of the kinds of mistakes, one enum value each.
//!
//! `gongkai check --format json` prints these names, review workflows match
//! on them, and the README lists every one (a test keeps the two equal).

use std::fmt;

macro_rules! codes {
    ($($(#[$doc:meta])* $variant:ident = $name:literal,)*) => {
        /// What kind of mistake a diagnostic reports.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $($(#[$doc])* $variant,)*
        }

        impl Code {
            /// Every code, in the order of this list.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The name printed in messages and in JSON: `unknown-category`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)*
                }
            }
        }
    };
}

codes! {
    // Reading files.
    /// A file could not be read.
    Io = "io",
    /// Text that is not UTF-8.
    Encoding = "encoding",
    /// A symbolic link that leads out of the site, dangles or loops.
    Symlink = "symlink",
    /// A notice without the `---` lines around its front matter, or with a
    /// third one that ends it early.
    FrontMatter = "front-matter",
    /// YAML that cannot be read, or a field of the wrong type.
    Yaml = "yaml",
    // A notice's fields.
    /// A notice or problem without a title.
    MissingTitle = "missing-title",
    /// A notice without a publication date.
    MissingDate = "missing-date",
    /// No issuing body, in the notice or in `site.yaml`.
    MissingOrganization = "missing-organization",
    /// A revision without its note.
    MissingNote = "missing-note",
    /// A problem without a category.
    MissingCategory = "missing-category",
    /// A date that does not exist or is not written as one.
    InvalidDate = "invalid-date",
    /// A slug (or file name) that cannot be an address.
    InvalidSlug = "invalid-slug",
    /// An amount of money that is not one.
    InvalidAmount = "invalid-amount",
    /// A deadline that names no day (and is not "long-term").
    InvalidDeadline = "invalid-deadline",
    /// A `follows:` that is malformed, points nowhere, or conflicts.
    Follows = "follows",
    /// A category key that `site.yaml` does not declare.
    UnknownCategory = "unknown-category",
    /// A result phrase that states no known status.
    UnknownResult = "unknown-result",
    /// Two problems of one notice with the same number.
    DuplicateNumber = "duplicate-number",
    /// Two notices with the same slug.
    DuplicateSlug = "duplicate-slug",
    // A county's site.
    /// An `organization` that names none of the site's units.
    UnknownUnit = "unknown-unit",
    /// An `inspection.round` that names no county round, or two notices of
    /// one inspection that name different ones.
    CountyRound = "county-round",
    /// Two notices with the same 索引号.
    DuplicateIndexNumber = "duplicate-index-number",
    /// A published notice without a 索引号 where the site asks for one.
    MissingIndexNumber = "missing-index-number",
    // Personal information.
    /// A resident identity card number.
    PrivacyIdNumber = "privacy-id-number",
    /// A mobile phone number.
    PrivacyMobile = "privacy-mobile",
    /// A bank card number.
    PrivacyBankCard = "privacy-bank-card",
    // Links.
    /// A link to a page or file that does not exist.
    BrokenLink = "broken-link",
    /// A link to an anchor that is not on its page.
    BrokenAnchor = "broken-anchor",
    /// An image that does not exist.
    MissingImage = "missing-image",
    /// Raw HTML in a notice's body that closes what it did not open, or
    /// leaves open what it opened.
    UnbalancedHtml = "unbalanced-html",
    // Attachments.
    /// An attachment that names no file of the site: a web address, a
    /// path out of `content/` or `static/`, a folder, a name taken.
    AttachmentPath = "attachment-path",
    /// An attachment that is only a scan (an image, a PDF without text),
    /// in a notice without a text version of it.
    ScanOnlyAttachment = "scan-only-attachment",
    // What `check` adds.
    /// A notice without supervision contacts.
    MissingContact = "missing-contact",
    /// A problem without a result.
    MissingResult = "missing-result",
    /// Problem numbers that skip one.
    ProblemNumbers = "problem-numbers",
    /// A notice that lacks the approval `site.yaml` requires.
    ReviewMissing = "review-missing",
    /// Approved after it was published.
    ReviewAfterPublication = "review-after-publication",
    /// A publication date still to come.
    FutureDate = "future-date",
    /// An inspection that ends before it starts.
    InspectionDates = "inspection-dates",
    /// Feedback before the inspection ended.
    FeedbackDate = "feedback-date",
    /// Placeholder text of `init` or `new`, not yet replaced.
    Placeholder = "placeholder",
    /// A problem reported as further from done than before, unexplained.
    StatusBackwards = "status-backwards",
    /// An open problem that the round's newest notice no longer reports.
    UnmentionedProblem = "unmentioned-problem",
    /// A problem past its deadline and not complete.
    Overdue = "overdue",
    /// A problem matched by its number to an earlier one of another title.
    RenumberedProblem = "renumbered-problem",
    // What the government-website spot checks fail a site on.
    /// A known serious misspelling of a state, Party or organisation name
    /// (严重错误), built in or listed in `check.typos`.
    SeriousTypo = "serious-typo",
    /// A column without a new notice for longer than `check.stale_after`
    /// (栏目不更新).
    StaleColumn = "stale-column",
    /// A column without any notice (空白栏目).
    EmptyColumn = "empty-column",
    /// A page tag (meta tag) of the 政府网站发展指引 left empty.
    MissingMeta = "missing-meta",
    /// An attachment (listed in `attachments:`, or a link to a PDF, a Word
    /// file in the text) that does not exist.
    MissingAttachment = "missing-attachment",
    /// A link out of the site that its server answers as gone, or that
    /// redirects in a loop (`check --external`).
    ExternalLink = "external-link",
    /// A link out of the site that does not answer in time (`check --external`).
    ExternalUnreachable = "external-unreachable",
    // The site.
    /// A mistake in `site.yaml` (or `--base-url`).
    Config = "config",
    /// A theme that cannot be found.
    Theme = "theme",
    /// A template that cannot be compiled or rendered.
    Template = "template",
    /// A static file that cannot be copied.
    Static = "static",
    /// The `content/` folder is missing.
    Content = "content",
    /// Two outputs at the same path.
    DuplicatePage = "duplicate-page",
    /// The output folder cannot be written, or must not be.
    Output = "output",
    // Other commands.
    /// `gongkai init` into a folder that is not empty.
    Init = "init",
    /// A file `gongkai import` cannot read.
    ImportFormat = "import-format",
    /// A file without text.
    ImportEmpty = "import-empty",
    /// A category heading that matches no category.
    ImportCategory = "import-category",
    /// A `--category-map` that is not `KEY=TEXT`.
    ImportMap = "import-map",
    /// The notice to import exists already.
    ImportExists = "import-exists",
    // Deploy and verify.
    /// A deploy target that is missing or not written as one.
    DeployTarget = "deploy-target",
    /// A site that `check --strict` does not pass, or with notices withheld.
    DeployGate = "deploy-gate",
    /// A target that cannot be reached.
    DeployUnreachable = "deploy-unreachable",
    /// Wrong or missing keys, or a permission lacking.
    DeployDenied = "deploy-denied",
    /// A manifest at the target that is broken or leads out of it.
    DeployManifest = "deploy-manifest",
    /// More deletes than allowed without `--force`.
    DeployDeletes = "deploy-deletes",
    /// A deploy stopped by Ctrl-C.
    DeployInterrupted = "deploy-interrupted",
    /// A target that failed otherwise (a full disk, a server error).
    DeployFailed = "deploy-failed",
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl Code {
    /// Whether it advises on the site as a whole (a column not updated
    /// lately or empty, page tags left empty in `site.yaml`) rather than
    /// reports a mistake in what was written. Every check shows it, but
    /// `check --strict` and the deploy gate do not fail on it: time going
    /// by makes a column stale, and publishing is how it is mended.
    pub fn is_advice(self) -> bool {
        matches!(
            self,
            Code::StaleColumn | Code::EmptyColumn | Code::MissingMeta
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_kebab_case() {
        let mut names: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        assert!(
            names
                .iter()
                .all(|n| n.chars().all(|c| c.is_ascii_lowercase() || c == '-'))
        );
        names.sort_unstable();
        let count = names.len();
        names.dedup();
        assert_eq!(names.len(), count);
    }
}
