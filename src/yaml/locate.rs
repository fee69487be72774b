//! Where a field is in a YAML text: the one locator, for every mistake
//! that names a field (a wrong type, a date that does not exist, a
//! duplicate slug found by the model).
//!
//! The YAML crate keeps no positions in parsed values, but it does attach
//! the position of the current node to any error raised while
//! deserializing; [`locate`] walks the document along a field path and
//! raises an error at the target node to learn where it is. That is one
//! reading of the text per position (about as long as reading the document,
//! `cargo bench --bench yaml`). A plain value of a document the
//! [`fast`](super::fast) reader reads is found by that reader instead,
//! about four times quicker: `check` places every warning here, and a site
//! can have thousands. The fast reader's tests hold the two to the same
//! place for every plain value.

use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess};

use super::path::Seg;

/// Line and column (1-based) of the value at `path` in `text`.
pub fn locate(text: &str, path: &[Seg<'_>]) -> Option<(usize, usize)> {
    // A plain value where the fast reader reads the document: found
    // without reading it again through the YAML crate, which on a site
    // with many warnings (each placed here) took most of `check`.
    if let Some(offset) = super::fast::plain_offset(text, path) {
        return Some(crate::diagnostic::line_col(text, offset));
    }
    full(text, path)
}

/// [`locate`] through the YAML crate alone.
pub(super) fn full(text: &str, path: &[Seg<'_>]) -> Option<(usize, usize)> {
    run(text, Locator { path, key: None })
}

/// Line and column of the `nth` (from 1) key `key` of the mapping at
/// `path`: where an unknown field is, or the second of a duplicate pair.
pub fn locate_key(text: &str, path: &[Seg<'_>], key: &str, nth: usize) -> Option<(usize, usize)> {
    let wanted = Some(WantedKey {
        key,
        seen: std::cell::Cell::new(0),
        nth,
    });
    run(
        text,
        Locator {
            path,
            key: wanted.as_ref(),
        },
    )
}

fn run(text: &str, locator: Locator<'_>) -> Option<(usize, usize)> {
    let de = serde_yaml::Deserializer::from_str(text);
    match locator.deserialize(de) {
        Err(e) if e.to_string().contains(FOUND) => e.location().map(|l| (l.line(), l.column())),
        _ => None,
    }
}

/// The key a locator looks for, and how many of it it has seen.
struct WantedKey<'k> {
    key: &'k str,
    seen: std::cell::Cell<usize>,
    nth: usize,
}

const FOUND: &str = "\u{0}gongkai-located\u{0}";

/// Walks the document along `path`; fails (on purpose) at the target node:
/// the value at the path, or a key of the mapping there.
#[derive(Clone, Copy)]
struct Locator<'p> {
    path: &'p [Seg<'p>],
    key: Option<&'p WantedKey<'p>>,
}

impl Locator<'_> {
    fn at_target(&self) -> bool {
        self.path.is_empty() && self.key.is_none()
    }

    fn scalar<E: de::Error>(self) -> Result<(), E> {
        if self.at_target() {
            Err(E::custom(FOUND))
        } else {
            Ok(())
        }
    }
}

impl<'de> DeserializeSeed<'de> for Locator<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> de::Visitor<'de> for Locator<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.scalar()
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.scalar()
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        self.scalar()
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.scalar()
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        self.scalar()
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.scalar()
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.scalar()
    }
    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        self.deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        if self.at_target() {
            return Err(de::Error::custom(FOUND));
        }
        let mut index = 0;
        loop {
            let found = match self.path.first() {
                Some(Seg::Index(i)) if *i == index => {
                    let inner = Locator {
                        path: &self.path[1..],
                        key: self.key,
                    };
                    seq.next_element_seed(inner)?.is_some()
                }
                _ => seq.next_element::<IgnoredAny>()?.is_some(),
            };
            if !found {
                return Ok(());
            }
            index += 1;
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        if self.at_target() {
            return Err(de::Error::custom(FOUND));
        }
        let wanted = if self.path.is_empty() { self.key } else { None };
        while let Some(key) = map.next_key_seed(KeySeed(wanted))? {
            match self.path.first() {
                Some(Seg::Key(k)) if key.0.as_deref() == Some(*k) => {
                    let inner = Locator {
                        path: &self.path[1..],
                        key: self.key,
                    };
                    return map.next_value_seed(inner);
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// A mapping key as text (`None` for keys that are not scalars).
struct KeyText(Option<String>);

/// Reads a mapping key; fails at the wanted key, when it is seen the
/// wanted number of times.
struct KeySeed<'k>(Option<&'k WantedKey<'k>>);

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = KeyText;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<KeyText, D::Error> {
        // The error must come from inside the key's own visit, so that the
        // YAML reader gives it the key's position.
        d.deserialize_any(KeyVisitor(self.0))
    }
}

struct KeyVisitor<'k>(Option<&'k WantedKey<'k>>);

impl<'de> de::Visitor<'de> for KeyVisitor<'_> {
    type Value = KeyText;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a mapping key")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<KeyText, E> {
        if let Some(wanted) = self.0
            && v == wanted.key
        {
            wanted.seen.set(wanted.seen.get() + 1);
            if wanted.seen.get() == wanted.nth {
                return Err(E::custom(FOUND));
            }
        }
        Ok(KeyText(Some(v.to_string())))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<KeyText, E> {
        self.visit_str(&v.to_string())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<KeyText, E> {
        self.visit_str(&v.to_string())
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<KeyText, E> {
        self.visit_str(&v.to_string())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<KeyText, E> {
        Ok(KeyText(None))
    }
    fn visit_unit<E: de::Error>(self) -> Result<KeyText, E> {
        Ok(KeyText(None))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<KeyText, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(KeyText(None))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<KeyText, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(KeyText(None))
    }
}
