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

/// The names of the fields a struct with derived `Deserialize` is
/// written with: the list serde hands the deserializer, so that it cannot
/// drift from the struct. Empty for anything that is not such a struct.
pub fn names_of<T: de::DeserializeOwned>() -> &'static [&'static str] {
    let mut names: &'static [&'static str] = &[];
    // Always an error: the probe reads no value, only the names.
    let _ = T::deserialize(FieldNames(&mut names));
    names
}

/// A deserializer that records the field names of the struct asked of it.
struct FieldNames<'a>(&'a mut &'static [&'static str]);

impl<'de> de::Deserializer<'de> for FieldNames<'_> {
    type Error = de::value::Error;

    fn deserialize_any<V: de::Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("not a struct"))
    }

    fn deserialize_struct<V: de::Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Self::Error> {
        *self.0 = fields;
        Err(de::Error::custom("names read"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_structs_field_names_are_read_from_serde() {
        #[derive(serde::Deserialize)]
        #[allow(dead_code)]
        struct Two {
            title: String,
            #[serde(rename = "recovered_yuan")]
            yuan: u32,
        }
        assert_eq!(names_of::<Two>(), ["title", "recovered_yuan"]);
        assert!(names_of::<String>().is_empty());
    }
}
