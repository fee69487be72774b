//! A value tree read into a type the way the YAML reader reads the text
//! it came from, setting aside what a reading leaves out, with serde's
//! errors typed ([`Mistake`]) and placed (the path of the innermost node
//! they pass).

use std::cell::RefCell;
use std::fmt;
use std::sync::LazyLock;

use serde::de::value::{StrDeserializer, StringDeserializer};
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Expected, IntoDeserializer, Unexpected, Visitor,
};
use serde_yaml::Value;

use super::{Aside, Found, Mistake, child};
use crate::yaml::path::Step;

/// Reads `tree` into `T`, with `aside` set aside: the value, or the first
/// mistake; and the fields found that their structures do not have.
pub(super) fn read<T: DeserializeOwned>(
    tree: &Value,
    aside: &Aside,
) -> (std::result::Result<T, Found>, Vec<Found>) {
    let reading = Reading {
        aside,
        unknown: RefCell::default(),
    };
    let result = T::deserialize(Tree::root(tree, &reading)).map_err(|failure| Found {
        path: failure.path.unwrap_or_default(),
        mistake: failure.mistake,
    });
    (result, reading.unknown.into_inner())
}

/// One reading of the tree: what it sets aside, and the fields it found
/// that their structures do not have.
struct Reading<'r> {
    aside: &'r Aside,
    unknown: RefCell<Vec<Found>>,
}

/// A wrong list item reads as this.
static EMPTY: LazyLock<Value> = LazyLock::new(|| Value::Mapping(Default::default()));

/// A node of the tree, where it is, and the reading it is part of.
struct Tree<'de, 'r> {
    value: &'de Value,
    path: Vec<Step>,
    reading: &'r Reading<'r>,
}

impl<'de, 'r> Tree<'de, 'r> {
    fn root(value: &'de Value, reading: &'r Reading<'r>) -> Self {
        Tree {
            value,
            path: Vec::new(),
            reading,
        }
    }

    fn child(&self, step: Step, value: &'de Value) -> Tree<'de, 'r> {
        let path = child(&self.path, step);
        let value = if self.reading.aside.left_out.contains(&path) {
            &*EMPTY
        } else {
            value
        };
        Tree {
            value,
            path,
            reading: self.reading,
        }
    }

    /// The items of a list, but those dropped.
    fn items(&self, items: &'de [Value]) -> Vec<Tree<'de, 'r>> {
        let children = items.iter().enumerate();
        let mut items: Vec<Tree<'de, 'r>> = children
            .map(|(i, v)| self.child(Step::Index(i), v))
            .collect();
        items.retain(|item| !self.reading.aside.dropped.contains(&item.path));
        items
    }

    /// The entries of a mapping, keys as text, but those left out.
    fn entries(&self, map: &'de serde_yaml::Mapping) -> Vec<(String, Tree<'de, 'r>)> {
        let mut entries: Vec<(String, Tree<'de, 'r>)> = map
            .iter()
            .map(|(k, v)| (key_text(k), v))
            .map(|(k, v)| (k.clone(), self.child(Step::Key(k), v)))
            .collect();
        entries.retain(|(_, tree)| !self.reading.aside.left_out.contains(&tree.path));
        entries
    }

    /// The entries of a structure's mapping, but those left out. Fields it
    /// does not have are noted, and skipped.
    fn fields(
        &self,
        map: &'de serde_yaml::Mapping,
        known: &'static [&'static str],
    ) -> Vec<(String, Tree<'de, 'r>)> {
        let mut fields = self.entries(map);
        fields.retain(|(key, tree)| {
            let known_field = known.contains(&key.as_str());
            if !known_field {
                self.reading.unknown.borrow_mut().push(Found {
                    path: tree.path.clone(),
                    mistake: Mistake::Unknown {
                        field: key.clone(),
                        known,
                    },
                });
            }
            known_field
        });
        fields
    }
}

/// What a value is, as serde names it in a type error.
fn unexpected(value: &Value) -> Unexpected<'_> {
    match value {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => Unexpected::Unsigned(u),
            (None, Some(i), _) => Unexpected::Signed(i),
            (None, None, f) => Unexpected::Float(f.unwrap_or(f64::NAN)),
        },
        Value::String(s) => Unexpected::Str(s),
        Value::Sequence(_) => Unexpected::Seq,
        Value::Mapping(_) => Unexpected::Map,
        Value::Tagged(tagged) => unexpected(&tagged.value),
    }
}

/// A mapping key as the YAML reader gives it to a structure: its text.
pub(in crate::yaml) fn key_text(key: &Value) -> String {
    match key {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".into(),
        other => format!("{other:?}"),
    }
}

fn visit_seq<'de, V: Visitor<'de>>(items: Vec<Tree<'de, '_>>, visitor: V) -> Result<V::Value> {
    let count = items.len();
    let mut access = Items(items.into_iter());
    let value = visitor.visit_seq(&mut access)?;
    match access.0.len() {
        0 => Ok(value),
        left => {
            let expected = format!("{} items", count - left);
            Err(de::Error::invalid_length(count, &expected.as_str()))
        }
    }
}

fn visit_map<'de, V: Visitor<'de>>(
    entries: Vec<(String, Tree<'de, '_>)>,
    visitor: V,
) -> Result<V::Value> {
    let count = entries.len();
    let mut access = Entries {
        entries: entries.into_iter(),
        value: None,
    };
    let value = visitor.visit_map(&mut access)?;
    match access.entries.len() {
        0 => Ok(value),
        left => {
            let expected = format!("{} entries", count - left);
            Err(de::Error::invalid_length(count, &expected.as_str()))
        }
    }
}

/// The items of a list, for a visitor. A mistake made with an item (by a
/// type reading it, once the tree has given its value) is placed at it.
struct Items<'de, 'r>(std::vec::IntoIter<Tree<'de, 'r>>);

impl<'de> de::SeqAccess<'de> for Items<'de, '_> {
    type Error = Failure;

    fn next_element_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<Option<S::Value>> {
        let Some(item) = self.0.next() else {
            return Ok(None);
        };
        let path = item.path.clone();
        seed.deserialize(item).map(Some).map_err(|e| e.at(&path))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

/// The entries of a mapping, for a visitor; a mistake made with a value
/// is placed at it.
struct Entries<'de, 'r> {
    entries: std::vec::IntoIter<(String, Tree<'de, 'r>)>,
    /// The value of the key last given.
    value: Option<Tree<'de, 'r>>,
}

impl<'de> de::MapAccess<'de> for Entries<'de, '_> {
    type Error = Failure;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        let Some((key, value)) = self.entries.next() else {
            return Ok(None);
        };
        let path = value.path.clone();
        self.value = Some(value);
        let key: StringDeserializer<Failure> = key.into_deserializer();
        seed.deserialize(key).map(Some).map_err(|e| e.at(&path))
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value> {
        let Some(value) = self.value.take() else {
            return Err(de::Error::custom("a value asked for before its key"));
        };
        let path = value.path.clone();
        seed.deserialize(value).map_err(|e| e.at(&path))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// A mistake, and where (set by the innermost node it passes).
#[derive(Debug)]
struct Failure {
    mistake: Mistake,
    path: Option<Vec<Step>>,
}

type Result<T> = std::result::Result<T, Failure>;

impl Failure {
    fn new(mistake: Mistake) -> Failure {
        Failure {
            mistake,
            path: None,
        }
    }

    fn at(mut self, path: &[Step]) -> Failure {
        self.path.get_or_insert_with(|| path.to_vec());
        self
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.mistake)
    }
}

impl std::error::Error for Failure {}

impl de::Error for Failure {
    fn custom<T: fmt::Display>(msg: T) -> Failure {
        Failure::new(Mistake::Other(msg.to_string()))
    }
    fn invalid_type(found: Unexpected<'_>, expected: &dyn Expected) -> Failure {
        Failure::new(Mistake::Type {
            found: found.to_string(),
            expected: expected.to_string(),
        })
    }
    fn invalid_value(found: Unexpected<'_>, expected: &dyn Expected) -> Failure {
        Failure::new(Mistake::Value {
            found: found.to_string(),
            expected: expected.to_string(),
        })
    }
    fn unknown_variant(variant: &str, known: &'static [&'static str]) -> Failure {
        Failure::new(Mistake::UnknownVariant {
            variant: variant.to_string(),
            known,
        })
    }
    fn unknown_field(field: &str, known: &'static [&'static str]) -> Failure {
        Failure::new(Mistake::Unknown {
            field: field.to_string(),
            known,
        })
    }
    fn missing_field(field: &'static str) -> Failure {
        Failure::new(Mistake::Missing(field))
    }
}

/// Each method reads the node as the YAML reader reads the text it came
/// from, for an untagged value.
impl<'de> de::Deserializer<'de> for Tree<'de, '_> {
    type Error = Failure;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.value {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
                (Some(u), _, _) => visitor.visit_u64(u),
                (None, Some(i), _) => visitor.visit_i64(i),
                (None, None, f) => visitor.visit_f64(f.unwrap_or(f64::NAN)),
            },
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Sequence(items) => visit_seq(self.items(items), visitor),
            Value::Mapping(map) => visit_map(self.entries(map), visitor),
            Value::Tagged(tagged) => {
                let inner = Tree {
                    value: &tagged.value,
                    path: self.path.clone(),
                    reading: self.reading,
                };
                inner.deserialize_any(visitor)
            }
        }
        .map_err(|e| e.at(&self.path))
    }

    /// Any scalar is text when text is wanted, as written.
    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let read: Result<V::Value> = match self.value {
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Number(n) => visitor.visit_string(n.to_string()),
            Value::Bool(b) => visitor.visit_string(b.to_string()),
            Value::Null => visitor.visit_borrowed_str(""),
            _ => return self.deserialize_any(visitor),
        };
        read.map_err(|e| e.at(&self.path))
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.value {
            Value::Null => visitor.visit_none(),
            _ => {
                let path = self.path.clone();
                visitor.visit_some(self).map_err(|e| e.at(&path))
            }
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        let path = self.path.clone();
        visitor.visit_newtype_struct(self).map_err(|e| e.at(&path))
    }

    /// Nothing written (`key:`) is an empty list, as for the YAML reader.
    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.value {
            Value::Null => visit_seq(Vec::new(), visitor).map_err(|e| e.at(&self.path)),
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, visitor: V) -> Result<V::Value> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: usize,
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_seq(visitor)
    }

    /// Nothing written is an empty mapping, as for the YAML reader.
    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.value {
            Value::Null => visit_map(Vec::new(), visitor).map_err(|e| e.at(&self.path)),
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        known: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        let fields = match self.value {
            Value::Mapping(map) => self.fields(map, known),
            Value::Null => Vec::new(),
            // Not a list either, which serde would take field by field.
            other => {
                let e: Failure = de::Error::invalid_type(unexpected(other), &visitor);
                return Err(e.at(&self.path));
            }
        };
        visit_map(fields, visitor).map_err(|e| e.at(&self.path))
    }

    /// Only unit variants, written as text.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        match self.value {
            Value::String(s) => {
                let variant: StrDeserializer<'_, Failure> = s.as_str().into_deserializer();
                visitor.visit_enum(variant).map_err(|e| e.at(&self.path))
            }
            _ => self.deserialize_any(visitor),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 bytes byte_buf
        unit unit_struct ignored_any
    }
}
