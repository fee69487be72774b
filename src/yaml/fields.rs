//! Serde helpers for front-matter fields.

use std::fmt;

use serde::de;

// Reading any scalar as text is no YAML matter: the domain types need it
// too, so it lives with them.
pub use crate::content::scalar::{required, text};

/// `tags: 巡察整改` means the same as `tags: [巡察整改]`. Anything else is an
/// error at the field, which names what it expected.
pub fn one_or_many<'de, D: de::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    struct OneOrMany;
    impl<'de> de::Visitor<'de> for OneOrMany {
        type Value = Vec<String>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("一个文本或文本列表，例如 [巡察整改, 党风廉政]")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(vec![v.to_string()])
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut all = Vec::new();
            while let Some(one) = seq.next_element::<Word>()? {
                all.push(one.0);
            }
            Ok(all)
        }
    }
    d.deserialize_any(OneOrMany)
}

/// One text of a list: a string, not a number or a mapping.
struct Word(String);

impl<'de> de::Deserialize<'de> for Word {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Word, D::Error> {
        struct Visitor;
        impl de::Visitor<'_> for Visitor {
            type Value = Word;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("文本（数字请加引号，例如 \"2021\"）")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Word, E> {
                Ok(Word(v.to_string()))
            }
        }
        d.deserialize_any(Visitor)
    }
}
