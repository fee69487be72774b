//! Keys written twice. The YAML crate refuses a whole document for one
//! key written twice, which would hide every other mistake of the file
//! (a date that does not exist, a category misspelt). This reads the
//! value tree the way the crate does, but keeps the first value of such
//! a key and notes where each repetition is, so that the duplicate is
//! reported beside the others.

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeSeed, EnumAccess, MapAccess, SeqAccess, VariantAccess};
use serde_yaml::value::{Tag, TaggedValue};
use serde_yaml::{Mapping, Value};

use super::path::Step;

/// A key written again in the mapping at `inside`: its `nth` time (from 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Twice {
    pub inside: Vec<Step>,
    pub key: String,
    pub nth: usize,
}

/// The value tree of `text` with the first value of each key, and every
/// key written again; or the YAML crate's error for anything else wrong.
pub fn tree(text: &str) -> Result<(Value, Vec<Twice>), serde_yaml::Error> {
    let found = RefCell::new(Vec::new());
    let seed = Node {
        path: Vec::new(),
        found: &found,
    };
    let value = seed.deserialize(serde_yaml::Deserializer::from_str(text))?;
    Ok((value, found.into_inner()))
}

/// A node of the tree being read, and where it is.
struct Node<'f> {
    path: Vec<Step>,
    found: &'f RefCell<Vec<Twice>>,
}

impl Node<'_> {
    fn child(&self, step: Step) -> Self {
        let mut path = self.path.clone();
        path.push(step);
        Node {
            path,
            found: self.found,
        }
    }
}

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = Value;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> de::Visitor<'de> for Node<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        self.deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(self.child(Step::Index(items.len())))? {
            items.push(item);
        }
        Ok(Value::Sequence(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut mapping = Mapping::new();
        // How many times each key written again has been seen.
        let mut times: rustc_hash::FxHashMap<Value, usize> = Default::default();
        while let Some(key) = map.next_key::<Value>()? {
            let text = super::collect::key_text(&key);
            let value = map.next_value_seed(self.child(Step::Key(text.clone())))?;
            if !mapping.contains_key(&key) {
                mapping.insert(key, value);
                continue;
            }
            let nth = times.entry(key).or_insert(1);
            *nth += 1;
            let nth = *nth;
            self.found.borrow_mut().push(Twice {
                inside: self.path.clone(),
                key: text,
                nth,
            });
        }
        Ok(Value::Mapping(mapping))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        let (tag, contents) = data.variant::<String>()?;
        let value = contents.newtype_variant_seed(self)?;
        Ok(Value::Tagged(Box::new(TaggedValue {
            tag: Tag::new(tag),
            value,
        })))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_value_is_kept_and_each_repetition_noted() {
        let text = "title: a\nitems:\n  - kind: 巡察\n    kind: 巡视\n    kind: x\ntitle: b\n";
        let (tree, twice) = tree(text).unwrap();
        assert_eq!(tree["title"], Value::String("a".into()));
        assert_eq!(tree["items"][0]["kind"], Value::String("巡察".into()));
        let key = |k: &str| Step::Key(k.into());
        assert_eq!(
            twice,
            [
                Twice {
                    inside: vec![key("items"), Step::Index(0)],
                    key: "kind".into(),
                    nth: 2
                },
                Twice {
                    inside: vec![key("items"), Step::Index(0)],
                    key: "kind".into(),
                    nth: 3
                },
                Twice {
                    inside: vec![],
                    key: "title".into(),
                    nth: 2
                },
            ]
        );
    }

    #[test]
    fn a_tree_without_repetitions_is_the_crate_s() {
        let text = "a: !t [1, 2.5, true, ~, x]\nb: {c: d}\n";
        let (tree, twice) = tree(text).unwrap();
        assert!(twice.is_empty());
        assert_eq!(tree, serde_yaml::from_str::<Value>(text).unwrap());
    }
}
