//! Serde helpers for front-matter fields.

use std::fmt;

use serde::de;

/// Any scalar as text: dates, numbers and amounts are read by the loader,
/// which gives better messages than a type error would.
pub fn text<'de, D: de::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    d.deserialize_any(TextVisitor)
}

/// Like [`text`], for a field that must say something: empty text and `~`
/// are refused.
pub fn required<'de, D: de::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    match text(d)? {
        Some(t) if !t.trim().is_empty() => Ok(t),
        _ => Err(de::Error::invalid_value(
            de::Unexpected::Other("空值"),
            &"文本（不能是空的）",
        )),
    }
}

struct TextVisitor;

impl<'de> de::Visitor<'de> for TextVisitor {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("文本或数字")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

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
