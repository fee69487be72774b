//! Rectification status, derived from the result phrase as written.
//!
//! A result such as `立行立改，整改完成，长期推进` is split at its punctuation and
//! every part must be a known phrase: exactly one of them states where the
//! rectification stands, the others add markers. Nothing is guessed: an
//! unknown part or a phrase with no state is an error that lists what is
//! accepted, and a `status:` field can say it explicitly.

use serde::Serialize;

/// Where the rectification of one problem stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Completed,
    Staged,
    InProgress,
    NotDone,
}

impl State {
    pub const ALL: [State; 4] = [
        State::Completed,
        State::Staged,
        State::InProgress,
        State::NotDone,
    ];

    /// The label shown on badges.
    pub fn label(self) -> &'static str {
        match self {
            State::Completed => "已完成",
            State::Staged => "阶段性完成",
            State::InProgress => "整改中",
            State::NotDone => "未完成",
        }
    }

    /// The machine name used in CSS classes and exports.
    pub fn key(self) -> &'static str {
        match self {
            State::Completed => "completed",
            State::Staged => "staged",
            State::InProgress => "in_progress",
            State::NotDone => "not_done",
        }
    }
}

/// The state of a problem plus its markers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Status {
    pub state: State,
    /// 立行立改 / 即知即改: fixed on the spot.
    pub immediate: bool,
    /// 长期推进 / 长期坚持: kept up as a standing task.
    pub long_term: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Word {
    State(State),
    Immediate,
    LongTerm,
    /// 持续推进: still under way when it stands alone (`整改状态：持续推进`),
    /// kept up as a standing task beside a state (`整改完成，持续推进`).
    Ongoing,
}

/// Phrases read only as a whole part of a result, never found inside
/// prose (`完成` is in `未完成`, and `持续推进` in many a measure).
const WHOLE_ONLY: &[(&str, Word)] = &[
    ("完成", Word::State(State::Completed)),
    ("持续推进", Word::Ongoing),
    // `整改进度：正在推进`, `序时推进` (on schedule): a state when they are
    // the whole part; in prose they are as often a measure's words
    // (`正在推进长效机制建设` after `已完成整改`).
    ("正在推进", Word::State(State::InProgress)),
    ("序时推进", Word::State(State::InProgress)),
];

/// Every accepted phrase. English keys are for the explicit `status:` field.
const VOCABULARY: &[(&str, Word)] = &[
    ("整改完成", Word::State(State::Completed)),
    ("已完成整改", Word::State(State::Completed)),
    ("已整改完成", Word::State(State::Completed)),
    ("已销号", Word::State(State::Completed)),
    ("已完成", Word::State(State::Completed)),
    ("已整改", Word::State(State::Completed)),
    ("已办结", Word::State(State::Completed)),
    ("completed", Word::State(State::Completed)),
    ("阶段性完成", Word::State(State::Staged)),
    ("基本完成", Word::State(State::Staged)),
    ("staged", Word::State(State::Staged)),
    ("正在整改", Word::State(State::InProgress)),
    ("持续整改", Word::State(State::InProgress)),
    ("整改中", Word::State(State::InProgress)),
    ("推进中", Word::State(State::InProgress)),
    ("in_progress", Word::State(State::InProgress)),
    ("未完成", Word::State(State::NotDone)),
    ("not_done", Word::State(State::NotDone)),
    ("立行立改", Word::Immediate),
    ("即知即改", Word::Immediate),
    ("immediate", Word::Immediate),
    ("长期推进", Word::LongTerm),
    ("长期坚持", Word::LongTerm),
    ("long_term", Word::LongTerm),
];

/// Why a phrase could not be read as a status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhraseError {
    pub message: String,
    /// The offending part, to underline it in the source.
    pub part: Option<String>,
}

impl PhraseError {
    /// What the user can write instead.
    pub fn help() -> String {
        "整改结果可用的写法：整改完成、已完成整改、已整改完成、已销号、完成（已完成）；\
         阶段性完成、基本完成（阶段性完成）；正在整改、持续整改、正在推进、序时推进、持续推进（整改中）；未完成；\
         可再加标注：立行立改、即知即改；长期推进、长期坚持。各部分用逗号或顿号隔开，\
         例如“立行立改，整改完成，长期推进”。写法不同时，可另加 status: 字段注明，\
         例如 status: 整改完成 或 status: completed, long_term。"
            .to_string()
    }
}

impl Status {
    /// Reads a result phrase such as `立行立改，整改完成，长期推进`.
    pub fn parse(phrase: &str) -> Result<Status, PhraseError> {
        let mut state: Option<(State, String)> = None;
        let mut immediate = false;
        let mut long_term = false;
        let mut ongoing = false;
        let mut any = false;
        for part in split_parts(phrase) {
            any = true;
            let normal = normalize(part);
            let word = VOCABULARY
                .iter()
                .chain(WHOLE_ONLY)
                .find(|(word, _)| *word == normal)
                .map(|(_, word)| *word)
                .ok_or_else(|| PhraseError {
                    message: format!("无法识别的整改结果“{part}”"),
                    part: Some(part.to_string()),
                })?;
            match word {
                Word::Immediate => immediate = true,
                Word::LongTerm => long_term = true,
                Word::Ongoing => ongoing = true,
                Word::State(s) => match &state {
                    Some((earlier, word)) if *earlier != s => {
                        return Err(PhraseError {
                            message: format!(
                                "整改结果同时写了“{word}”和“{part}”，不知道以哪个为准"
                            ),
                            part: Some(part.to_string()),
                        });
                    }
                    _ => state = Some((s, part.to_string())),
                },
            }
        }
        if !any {
            return Err(PhraseError {
                message: "整改结果是空的".to_string(),
                part: None,
            });
        }
        match state {
            Some((state, _)) => Ok(Status {
                state,
                immediate,
                long_term: long_term || ongoing,
            }),
            None if ongoing => Ok(Status {
                state: State::InProgress,
                immediate,
                long_term,
            }),
            None => Err(PhraseError {
                message: format!(
                    "整改结果“{}”没有写明整改状态（完成、阶段性完成、整改中或未完成）",
                    phrase.trim()
                ),
                part: None,
            }),
        }
    }

    /// Finds the phrases of the vocabulary inside longer prose, such as
    /// `已完成整改，并建立了长效机制`, for the importer. Returns the status and
    /// the phrases found, in the standard form (`整改完成，长期推进`); `None`
    /// when no phrase states where the rectification stands.
    pub fn find(text: &str) -> Option<(Status, String)> {
        let mut found: Vec<(usize, &str)> = Vec::new();
        for (word, _) in VOCABULARY.iter().filter(|(w, _)| !w.is_ascii()) {
            for (at, _) in text.match_indices(word) {
                let end = at + word.len();
                // `整改完成` inside `已整改完成` is the same phrase, found once.
                let overlaps = found.iter().any(|(a, w)| at < a + w.len() && *a < end);
                if !overlaps {
                    found.push((at, word));
                }
            }
        }
        found.sort();
        let phrase = found.iter().map(|(_, w)| *w).collect::<Vec<_>>().join("，");
        Status::parse(&phrase).ok().map(|status| (status, phrase))
    }

    /// Badges in display order: the state, then the markers.
    pub fn labels(&self) -> Vec<(&'static str, &'static str)> {
        let mut labels = vec![(self.state.key(), self.state.label())];
        if self.immediate {
            labels.push(("immediate", "立行立改"));
        }
        if self.long_term {
            labels.push(("long_term", "长期推进"));
        }
        labels
    }
}

/// Splits at full-width or ASCII separators; ignores a final period.
fn split_parts(phrase: &str) -> impl Iterator<Item = &str> {
    phrase
        .split(|c: char| "，,、；;。.！!：:".contains(c) || c.is_whitespace())
        .map(str::trim)
        .filter(|p| !p.is_empty())
}

/// Full-width letters equal ASCII ones; case, spaces and `-`/`_` do not matter.
fn normalize(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .filter(|c| !c.is_whitespace())
        .map(|c| {
            if c == '-' {
                '_'
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_vocabulary_is_written_in_normal_form() {
        // `parse` compares a normalized phrase with the words as written.
        for (word, _) in VOCABULARY {
            assert_eq!(normalize(word), *word);
        }
    }

    fn parse(s: &str) -> Status {
        Status::parse(s).unwrap_or_else(|e| panic!("{s}: {}", e.message))
    }

    #[test]
    fn phrases_found_inside_prose() {
        let (status, phrase) =
            Status::find("通过清理规范，已整改完成并建立台账，长期坚持").unwrap();
        assert_eq!(phrase, "整改完成，长期坚持");
        assert_eq!((status.state, status.long_term), (State::Completed, true));
        assert_eq!(
            Status::find("立行立改，长期坚持"),
            None,
            "no state: nothing to find"
        );
        assert_eq!(Status::find("2023年12月底前"), None);
    }

    #[test]
    fn reads_every_result_of_the_seed() {
        let s = parse("整改完成，长期推进。");
        assert_eq!(
            (s.state, s.immediate, s.long_term),
            (State::Completed, false, true)
        );
        let s = parse("立行立改，整改完成。");
        assert_eq!(
            (s.state, s.immediate, s.long_term),
            (State::Completed, true, false)
        );
        let s = parse("立行立改，整改完成，长期推进。");
        assert_eq!(
            (s.state, s.immediate, s.long_term),
            (State::Completed, true, true)
        );
        // Problem 6 of the seed has no final period.
        assert_eq!(parse("整改完成，长期推进").state, State::Completed);
    }

    #[test]
    fn full_width_and_ascii_punctuation_are_equal() {
        assert_eq!(
            parse("立行立改,整改完成,长期推进"),
            parse("立行立改，整改完成，长期推进")
        );
        assert_eq!(parse("即知即改、已销号").state, State::Completed);
        assert_eq!(parse(" 正在整改 ; 长期坚持 ").state, State::InProgress);
    }

    #[test]
    fn explicit_status_keys() {
        let s = parse("completed, long_term");
        assert_eq!((s.state, s.long_term), (State::Completed, true));
        assert_eq!(parse("in-progress").state, State::InProgress);
        assert_eq!(parse("ｓｔａｇｅｄ").state, State::Staged);
    }

    #[test]
    fn states_of_every_kind() {
        assert_eq!(parse("阶段性完成").state, State::Staged);
        // As status columns write them.
        assert_eq!(parse("完成").state, State::Completed);
        assert_eq!(parse("持续推进").state, State::InProgress);
        let kept_up = parse("整改完成，持续推进");
        assert!(kept_up.state == State::Completed && kept_up.long_term);
        // Never found inside prose.
        assert_eq!(Status::find("持续推进作风建设，完成学习计划"), None);
        assert_eq!(parse("基本完成，长期推进").state, State::Staged);
        assert_eq!(parse("持续整改").state, State::InProgress);
        assert_eq!(parse("正在推进，长期坚持").state, State::InProgress);
        assert_eq!(parse("序时推进").state, State::InProgress);
        let (done, _) = Status::find("已完成整改，正在推进长效机制建设").unwrap();
        assert_eq!(done.state, State::Completed);
        assert_eq!(parse("未完成").state, State::NotDone);
    }

    #[test]
    fn nothing_is_guessed() {
        let e = Status::parse("差不多了").unwrap_err();
        assert!(e.message.contains("差不多了"));
        assert_eq!(e.part.as_deref(), Some("差不多了"));
        let e = Status::parse("立行立改").unwrap_err();
        assert!(e.message.contains("没有写明整改状态"), "{}", e.message);
        let e = Status::parse("整改完成，正在整改").unwrap_err();
        assert!(e.message.contains("同时写了"), "{}", e.message);
        assert!(Status::parse("。").is_err());
        assert!(PhraseError::help().contains("立行立改"));
    }

    #[test]
    fn labels_list_state_then_markers() {
        let s = parse("立行立改，整改完成，长期推进");
        assert_eq!(
            s.labels(),
            vec![
                ("completed", "已完成"),
                ("immediate", "立行立改"),
                ("long_term", "长期推进")
            ]
        );
    }
}
