//! Every problem placed in one of the site's categories: by the heading
//! it stands under when that heading was assigned (by `--category-map` or
//! by its wording), else by the vocabulary of the categories ([`lexicon`]).

use gongkai_content::Category;

use crate::Placing;
use crate::draft::{Draft, Group, Placement};
use crate::lexicon::{self, Guess};

/// The `--category-map` text for problems without a category heading.
pub const UNHEADED: &str = "*";

/// The category a group's heading suggests, and the heading that did: the
/// one it is nested in first, which is at the level of categories.
fn heading_guess<'g>(g: &'g Group, categories: &[Category]) -> Option<(Guess, &'g str)> {
    let outer = g.outer.as_deref();
    let own = g.heading.as_ref().map(|h| h.value.as_str());
    [outer, own]
        .into_iter()
        .flatten()
        .find_map(|text| lexicon::guess(text, categories).map(|guess| (guess, text)))
}

/// Places every problem in a site category. Never fails: a heading or a
/// problem whose wording names no category is placed by the vocabulary of
/// the categories ([`lexicon`]), or, failing that, in the first category;
/// each guess is noted for the reviewer.
pub(crate) fn place(draft: &mut Draft, placing: &Placing<'_>) {
    let (categories, map) = (placing.categories, placing.map);
    let first = categories
        .first()
        .map_or_else(String::new, |c| c.key.clone());
    let unheaded = map
        .iter()
        .find(|(_, text)| text == UNHEADED)
        .map(|(k, _)| k.clone())
        .or_else(|| (categories.len() == 1).then(|| first.clone()));
    let mut notes = Vec::new();
    for g in &mut draft.groups {
        let decided = match (&g.heading, &g.assignment) {
            (_, a) if a.key().is_some() => a.key().map(|k| Placement {
                key: k.to_string(),
                guessed: None,
            }),
            (None, _) => unheaded.clone().map(|key| Placement { key, guessed: None }),
            (Some(h), _) => heading_guess(g, categories).map(|(guess, heading)| {
                // A guess by the outer heading is noted at that heading.
                if heading == h.value {
                    notes.push((
                        h.no,
                        format!(
                            "类别标题“{heading}”不是站点的问题类别，按措辞（{}）把它下面的问题归入 {}，请核对",
                            guess.reason, guess.key
                        ),
                    ));
                }
                Placement {
                    key: guess.key,
                    guessed: Some(format!("按类别标题的措辞（{}）推断", guess.reason)),
                }
            }),
        };
        for p in &mut g.problems {
            let placement = decided.clone().unwrap_or_else(|| {
                // Placed by its own wording.
                let words = [
                    Some(p.title.as_str()),
                    p.cause.as_deref(),
                    p.measures.as_deref(),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join("\n");
                let (key, why, message) = match lexicon::guess(&words, categories) {
                    Some(g) => (
                        g.key.clone(),
                        format!("按问题的措辞（{}）推断", g.reason),
                        format!(
                            "第 {} 项问题没有类别标题，按措辞（{}）归入 {}，请核对",
                            p.number, g.reason, g.key
                        ),
                    ),
                    None => (
                        first.clone(),
                        "措辞里没有可判断类别的词，暂归入第一类".to_string(),
                        format!(
                            "第 {} 项问题的措辞里没有可判断类别的词，暂归入第一类 {first}，请核对",
                            p.number
                        ),
                    ),
                };
                notes.push((p.no, message));
                Placement {
                    key,
                    guessed: Some(why),
                }
            });
            p.placement = Some(placement);
        }
    }
    for (no, message) in notes {
        draft.note(no, message);
    }
}
