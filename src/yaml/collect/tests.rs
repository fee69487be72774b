//! Finding every mistake on a value tree: examples, and differential
//! tests against the YAML reader.

use super::*;
use serde::Deserialize;

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct Doc {
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    items: Vec<Item>,
    #[serde(default)]
    kind: Option<Kind>,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct Item {
    #[serde(default)]
    number: Option<u32>,
    name: String,
}

#[derive(Debug, Deserialize, PartialEq)]
enum Kind {
    #[serde(rename = "巡察")]
    Xuncha,
}

fn collect(text: &str) -> Collected<Doc> {
    every_mistake(&serde_yaml::from_str(text).unwrap(), 20)
}

fn at(path: &[&str]) -> Vec<Step> {
    path.iter()
        .map(|s| match s.parse() {
            Ok(i) => Step::Index(i),
            Err(_) => Step::Key(s.to_string()),
        })
        .collect()
}

#[test]
fn every_wrong_field_is_found_and_the_rest_is_read() {
    let c = collect(
        "title: 2021\nitems:\n  - number: 一\n    name: a\n  - name: [b]\n  - number: 3\n    name: c\n    colour: red\nkind: 巡视\n",
    );
    let paths: Vec<Vec<Step>> = c.found.iter().map(|f| f.path.clone()).collect();
    assert_eq!(
        paths,
        [
            at(&["items", "0", "number"]),
            at(&["items", "1", "name"]),
            at(&["items", "2", "colour"]),
            at(&["kind"]),
        ],
        "{:#?}",
        c.found
    );
    assert!(
        matches!(&c.found[0].mistake, Mistake::Type { found, expected }
        if found == "string \"一\"" && expected == "u32")
    );
    assert!(
        matches!(&c.found[3].mistake, Mistake::UnknownVariant { variant, .. }
        if variant == "巡视")
    );
    let doc = c.value.expect("the rest is read");
    // A number where text is wanted is its text, as from the document.
    assert_eq!(doc.title.as_deref(), Some("2021"));
    assert_eq!(doc.items[0].number, None);
    // The item without its required name is dropped; the list is left
    // out for checks, which would find its items renumbered.
    assert_eq!(doc.items.len(), 2);
    assert_eq!(doc.items[1].number, Some(3));
    assert!(c.left_out.contains(&at(&["items"])));
}

#[test]
fn a_wrong_list_item_reads_as_an_empty_mapping_when_one_will_do() {
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Loose {
        items: Vec<LooseItem>,
    }
    #[derive(Debug, Deserialize)]
    struct LooseItem {
        #[serde(default)]
        number: Option<u32>,
    }
    let tree = serde_yaml::from_str("items:\n  - 文本\n  - number: 2\n").unwrap();
    let c = every_mistake::<Loose>(&tree, 20);
    assert_eq!(c.found.len(), 1, "{:#?}", c.found);
    assert_eq!(c.found[0].path, at(&["items", "0"]));
    let items = c.value.unwrap().items;
    assert_eq!((items[0].number, items[1].number), (None, Some(2)));
    assert_eq!(c.left_out, [at(&["items", "0"])]);
}

#[test]
fn a_wrong_list_item_no_empty_mapping_can_stand_for_is_dropped() {
    let c = collect("title: a\nitems:\n  - 文本\n  - number: 一\n    name: b\n");
    let paths: Vec<Vec<Step>> = c.found.iter().map(|f| f.path.clone()).collect();
    assert_eq!(paths, [at(&["items", "0"]), at(&["items", "1", "number"])]);
    assert_eq!(c.value.unwrap().items.len(), 1);
    assert!(c.left_out.contains(&at(&["items"])));
}

#[test]
fn a_missing_field_is_found_once_at_its_mapping() {
    let c = collect("items:\n  - number: 1\n");
    assert_eq!(
        c.found,
        [Found {
            path: at(&["items", "0"]),
            mistake: Mistake::Missing("name")
        }]
    );
    // Misspelt, it is the field written that is wrong.
    let c = collect("items:\n  - number: 1\n    nmae: a\n");
    assert_eq!(c.found.len(), 1, "{:#?}", c.found);
    assert!(matches!(&c.found[0].mistake, Mistake::Unknown { field, .. } if field == "nmae"));
}

#[test]
fn a_mistake_found_by_a_field_s_own_reader_is_placed_at_the_field() {
    #[derive(Debug, Deserialize)]
    struct Named {
        #[serde(default, deserialize_with = "crate::yaml::required")]
        name: String,
        #[serde(default)]
        names: Vec<Required>,
    }
    #[derive(Debug, Deserialize)]
    struct Required(#[serde(deserialize_with = "crate::yaml::required")] String);
    let tree = serde_yaml::from_str("name: ~\nnames: [a, '']\n").unwrap();
    let c = every_mistake::<Named>(&tree, 20);
    let paths: Vec<Vec<Step>> = c.found.iter().map(|f| f.path.clone()).collect();
    assert_eq!(
        paths,
        [at(&["name"]), at(&["names", "1"])],
        "{:#?}",
        c.found
    );
    assert!(matches!(&c.found[0].mistake, Mistake::Value { found, .. } if found == "空值"));
    let named = c.value.expect("the rest is read");
    assert_eq!(named.name, "");
    let names: Vec<&str> = named.names.iter().map(|n| n.0.as_str()).collect();
    assert_eq!(names, ["a"]);
}

#[test]
fn a_document_of_the_wrong_shape_gives_no_value() {
    let c = collect("- a\n- b\n");
    assert!(c.value.is_none());
    assert_eq!(c.found.len(), 1);
    assert_eq!(c.found[0].path, []);
    assert!(matches!(&c.found[0].mistake, Mistake::Type { found, .. } if found == "sequence"));
}

#[test]
fn mistakes_past_the_limit_are_counted_not_listed() {
    let text: String = (0..50).map(|i| format!("extra{i}: 1\n")).collect();
    let c = every_mistake::<Doc>(&serde_yaml::from_str(&text).unwrap(), 20);
    // Fields a structure does not have are all found in one reading.
    assert_eq!(c.found.len(), 20);
    assert_eq!((c.more.count, c.more.exact), (30, true));
    let next = c.more.next.expect("the first one not listed");
    assert_eq!(next.path, at(&["extra20"]));
    assert!(c.value.is_some());
    let c = every_mistake::<Doc>(&wrong_numbers(50), 20);
    assert_eq!(c.found.len(), 20);
    assert_eq!((c.more.count, c.more.exact), (30, true));
    assert_eq!(c.found[19].path, at(&["items", "19", "number"]));
    // Read past all of them: the rest of the document is checked too.
    assert_eq!(c.value.map(|d| d.items.len()), Some(50));
}

#[test]
fn mistakes_past_the_readings_are_counted_at_least() {
    let c = every_mistake::<Doc>(&wrong_numbers(MAX_READINGS + 10), 20);
    assert_eq!(c.found.len(), 20);
    assert!(!c.more.exact);
    assert_eq!(c.more.count, MAX_READINGS - 20);
    assert!(c.value.is_none());
}

/// Each reading finds the same unknown fields again: keeping them once
/// must not compare each with all found before (200,000 took minutes).
#[test]
fn many_unknown_fields_are_kept_once_each_quickly() {
    let text: String = (0..200_000).map(|i| format!("k{i}: v\n")).collect();
    let text = format!("{text}items:\n  - number: x\n    name: a\n  - number: y\n    name: b\n");
    let tree = serde_yaml::from_str(&text).unwrap();
    let c = every_mistake::<Doc>(&tree, 20);
    // The unknown fields once each, and the two wrong numbers.
    assert_eq!(c.found.len() + c.more.count, 200_002);
    assert_eq!(c.found[0].path, at(&["k0"]));
    assert!(c.more.exact);
}

/// A document of every kind of field, for the differential test: all
/// optional, so that each field is right or wrong on its own.
#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct Every {
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    number: Option<u32>,
    #[serde(default)]
    flag: bool,
    #[serde(default, deserialize_with = "crate::yaml::one_or_many")]
    words: Vec<String>,
    #[serde(default, deserialize_with = "crate::yaml::text")]
    any: Option<String>,
    /// Its reader finds an empty value wrong after the tree gave it.
    #[serde(default, deserialize_with = "crate::yaml::required")]
    must: String,
    #[serde(default)]
    kind: Option<Kind>,
    #[serde(default)]
    items: Vec<Part>,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct Part {
    #[serde(default)]
    number: Option<u32>,
    #[serde(default)]
    name: Option<String>,
}

mod differential {
    use proptest::prelude::*;
    use serde_yaml::{Mapping, Value};

    use super::*;

    fn scalar() -> impl Strategy<Value = Value> {
        prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            (0u64..5_000_000_000).prop_map(|n| Value::Number(n.into())),
            (-50i64..0).prop_map(|n| Value::Number(n.into())),
            prop::sample::select(&[1.5, 0.25, 7230.3][..]).prop_map(|f| Value::Number(f.into())),
            prop::sample::select(&["巡察", "巡视", "2021", "true", "", "文本", "a: b"][..])
                .prop_map(|s| Value::String(s.into())),
        ]
    }

    fn value() -> impl Strategy<Value = Value> {
        prop_oneof![
            4 => scalar(),
            1 => prop::collection::vec(scalar(), 0..3).prop_map(Value::Sequence),
            1 => scalar().prop_map(|v| map(&[("a", v)])),
        ]
    }

    fn map(entries: &[(&str, Value)]) -> Value {
        let mut m = Mapping::new();
        for (k, v) in entries {
            m.insert(Value::String(k.to_string()), v.clone());
        }
        Value::Mapping(m)
    }

    /// An item of `items`: a mapping of some of its fields (and maybe one
    /// it does not have), or something else.
    fn part() -> impl Strategy<Value = Value> {
        let field = prop::sample::select(&["number", "name", "nmae"][..]);
        prop_oneof![
            4 => prop::collection::vec((field, value()), 0..3).prop_map(|fields| {
                map(&fields.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>())
            }),
            1 => scalar().prop_filter("not null", |v| !v.is_null()),
        ]
    }

    /// A document: some fields of [`Every`], each with a value of any
    /// kind, and maybe a field it does not have.
    fn document() -> impl Strategy<Value = Vec<(&'static str, Value)>> {
        let field = prop::sample::select(
            &[
                "text", "number", "flag", "words", "any", "must", "kind", "items", "extra",
            ][..],
        );
        let items = prop_oneof![
            // `null` where a list or mapping is read is empty from the
            // tree, as `items:` is from the text: the one place the tree
            // is kinder than the reader.
            3 => prop::collection::vec(part(), 0..4).prop_map(Value::Sequence),
            1 => value().prop_filter("no null for a list or an item", |v| match v {
                Value::Sequence(items) => !items.iter().any(Value::is_null),
                other => !other.is_null(),
            }),
        ];
        prop::collection::vec((field, value(), items), 0..6).prop_map(|fields| {
            let mut seen = Vec::new();
            fields
                .into_iter()
                .filter(|(k, ..)| {
                    let first = !seen.contains(k);
                    seen.push(k);
                    first
                })
                .map(|(k, v, items)| (k, if k == "items" { items } else { v }))
                .collect()
        })
    }

    /// Whether the YAML reader reads `entries`, written out, into `Every`.
    fn reads(entries: &[(&str, Value)]) -> bool {
        let text = serde_yaml::to_string(&map(entries)).unwrap();
        serde_yaml::from_str::<Every>(&text).is_ok()
    }

    fn wrong_under(found: &[Found], path: &[Step]) -> bool {
        found.iter().any(|f| f.path.starts_with(path))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(crate::testing::fuzz_cases(500)))]

        /// The mistakes found at once are those the YAML reader finds in
        /// each field (and each item, and each of its fields) alone, and
        /// the rest is read as the YAML reader reads it.
        #[test]
        fn every_mistake_is_what_the_reader_finds_in_each_part_alone(entries in document()) {
            let text = serde_yaml::to_string(&map(&entries)).unwrap();
            let tree: Value = serde_yaml::from_str(&text).unwrap();
            let c = every_mistake::<Every>(&tree, usize::MAX);
            let whole = serde_yaml::from_str::<Every>(&text);
            prop_assert_eq!(c.found.is_empty(), whole.is_ok(), "{}\n{:#?}", text, c.found);
            if let Ok(whole) = whole {
                prop_assert_eq!(c.value.as_ref(), Some(&whole));
                return Ok(());
            }
            let mut expected = Vec::new();
            for (key, value) in &entries {
                let path = vec![Step::Key(key.to_string())];
                let alone = reads(&[(key, value.clone())]);
                prop_assert_eq!(alone, !wrong_under(&c.found, &path), "{} in\n{}", key, text);
                match (*key, value) {
                    ("items", Value::Sequence(parts)) if !c.found.iter().any(|f| f.path == path) => {
                        let mut kept = Vec::new();
                        for (i, part) in parts.iter().enumerate() {
                            let at = [path.clone(), vec![Step::Index(i)]].concat();
                            let alone = reads(&[("items", Value::Sequence(vec![part.clone()]))]);
                            prop_assert_eq!(alone, !wrong_under(&c.found, &at), "item {} in\n{}", i, text);
                            kept.push(kept_part(part, &at, &c.found));
                        }
                        expected.push((*key, Value::Sequence(kept)));
                    }
                    ("words", Value::Sequence(words)) if !c.found.iter().any(|f| f.path == path) => {
                        // A wrong word is dropped: no empty mapping is a word.
                        let kept = words.iter().enumerate().filter(|(i, _)| {
                            let at = [path.clone(), vec![Step::Index(*i)]].concat();
                            !wrong_under(&c.found, &at)
                        });
                        expected.push((*key, Value::Sequence(kept.map(|(_, w)| w.clone()).collect())));
                    }
                    _ if wrong_under(&c.found, &path) => {}
                    _ => expected.push((*key, value.clone())),
                }
            }
            let rest = serde_yaml::to_string(&map(&expected)).unwrap();
            let rest = serde_yaml::from_str::<Every>(&rest);
            prop_assert!(rest.is_ok(), "{:?}", rest);
            let rest = rest.ok();
            prop_assert_eq!(c.value.as_ref(), rest.as_ref(), "{}", text);
        }
    }

    #[test]
    fn random_documents_have_several_mistakes_often() {
        // Guards the property test against passing on easy documents.
        use proptest::strategy::ValueTree;
        use proptest::test_runner::TestRunner;
        let mut runner = TestRunner::deterministic();
        let (mut wrong, mut several, mut deep) = (0, 0, 0);
        for _ in 0..300 {
            let entries = document().new_tree(&mut runner).unwrap().current();
            let tree = serde_yaml::from_str(&serde_yaml::to_string(&map(&entries)).unwrap());
            let c = every_mistake::<Every>(&tree.unwrap(), usize::MAX);
            wrong += usize::from(!c.found.is_empty());
            several += usize::from(c.found.len() >= 2);
            deep += usize::from(c.found.iter().any(|f| f.path.len() >= 3));
        }
        assert!(
            wrong > 150 && several > 100 && deep > 15,
            "{wrong} {several} {deep}"
        );
    }

    /// An item of `items` without its wrong fields; an empty mapping when
    /// it is wrong as a whole.
    fn kept_part(part: &Value, at: &[Step], found: &[Found]) -> Value {
        let Value::Mapping(fields) = part else {
            return if found.iter().any(|f| f.path == at) {
                Value::Mapping(Mapping::new())
            } else {
                part.clone()
            };
        };
        if found.iter().any(|f| f.path == at) {
            return Value::Mapping(Mapping::new());
        }
        let mut kept = Mapping::new();
        for (k, v) in fields {
            let field = [
                at.to_vec(),
                vec![Step::Key(k.as_str().unwrap_or("").into())],
            ]
            .concat();
            let wrong = found.iter().any(|f| f.path == field);
            if !wrong {
                kept.insert(k.clone(), v.clone());
            }
        }
        Value::Mapping(kept)
    }
}

/// A document of `count` items, each with a number that is not one.
fn wrong_numbers(count: usize) -> serde_yaml::Value {
    let items: String = (0..count)
        .map(|i| format!("  - number: x{i}\n    name: a\n"))
        .collect();
    serde_yaml::from_str(&format!("items:\n{items}")).unwrap()
}
