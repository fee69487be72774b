//! Serde readers that take any scalar as text: `postcode: 521000` is the
//! text 521000, not a number. The domain types read their text fields
//! with them, and so does the loader (through `yaml`), in whatever format.

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
        _ => Err(de::Error::custom(
            "invalid value: 空值, expected 文本（不能是空的）",
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde::de::IntoDeserializer;
    use serde::de::value::Error;

    #[test]
    fn numbers_and_words_are_text_and_nothing_is_none() {
        let number: Result<_, Error> = text(521000u64.into_deserializer());
        assert_eq!(number, Ok(Some("521000".to_string())));
        let word: Result<_, Error> = text("邮编".into_deserializer());
        assert_eq!(word, Ok(Some("邮编".to_string())));
        let nothing: Result<_, Error> = text(().into_deserializer());
        assert_eq!(nothing, Ok(None));
    }

    #[test]
    fn required_text_refuses_blank_and_nothing() {
        let blank: Result<String, Error> = required("  ".into_deserializer());
        assert!(blank.is_err());
        let nothing: Result<String, Error> = required(().into_deserializer());
        assert!(nothing.is_err());
        let key: Result<String, Error> = required("team".into_deserializer());
        assert_eq!(key, Ok("team".to_string()));
    }
}
