//! Typed ids: each names a row of one of the site's tables, so that a
//! notice's id cannot index the rounds by mistake.
//!
//! Every table of the model is a [`TiVec`] keyed by its own id type: the
//! published notices (newest first) by [`NoticeId`], the archive's years by
//! [`YearId`], the issuing bodies and tags by [`OrgId`] and [`TagId`], the
//! inspection rounds by [`RoundId`]. An id is a position, made when the
//! table is built and valid for that build of the model only.

pub use typed_index_collections::{TiSlice, TiVec};

/// Declares an id type: a position in one table.
macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(usize);

        impl From<usize> for $name {
            fn from(index: usize) -> $name {
                $name(index)
            }
        }

        impl From<$name> for usize {
            fn from(id: $name) -> usize {
                id.0
            }
        }

        impl $name {
            /// The position in its table.
            pub fn index(self) -> usize {
                self.0
            }
        }
    )*};
}

ids! {
    /// A published notice, by its place in the site's order (newest first).
    NoticeId;
    /// A year of the archive (newest first).
    YearId;
    /// An issuing body's group of notices (by pinyin of the name).
    OrgId;
    /// A tag's group of notices (by pinyin of the name).
    TagId;
    /// An inspection round (newest first, by its latest notice).
    RoundId;
}
