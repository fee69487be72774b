//! Counts of problems by where their rectification stands.

use serde::Serialize;

use super::{Problem, State, Yuan, money};

/// Counts for the dashboard, per category or overall; as open data, the
/// money in yuan.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Tally {
    pub problems: usize,
    pub completed: usize,
    pub staged: usize,
    pub in_progress: usize,
    pub not_done: usize,
    /// Problems without a result phrase.
    pub unstated: usize,
    pub immediate: usize,
    pub long_term: usize,
    /// Money recovered or refunded, in fen.
    #[serde(
        rename = "recovered_yuan",
        serialize_with = "money::serialize_fen_as_yuan"
    )]
    pub recovered_fen: i64,
}

impl Tally {
    /// Counts a problem with the money recovered as its own report states.
    pub fn add(&mut self, p: &Problem) {
        self.count(p, p.recovered.as_ref());
    }

    /// Counts a problem at the status `p` gives, with `recovered` as the
    /// latest report that stated an amount (a ledger entry's later reports
    /// often leave it out).
    pub fn count(&mut self, p: &Problem, recovered: Option<&Yuan>) {
        self.problems += 1;
        match p.status.map(|s| s.state) {
            Some(State::Completed) => self.completed += 1,
            Some(State::Staged) => self.staged += 1,
            Some(State::InProgress) => self.in_progress += 1,
            Some(State::NotDone) => self.not_done += 1,
            None => self.unstated += 1,
        }
        if let Some(s) = p.status {
            self.immediate += usize::from(s.immediate);
            self.long_term += usize::from(s.long_term);
        }
        self.recovered_fen += recovered.map_or(0, Yuan::fen);
    }

    /// The sum of two tallies.
    pub fn plus(&self, o: &Tally) -> Tally {
        Tally {
            problems: self.problems + o.problems,
            completed: self.completed + o.completed,
            staged: self.staged + o.staged,
            in_progress: self.in_progress + o.in_progress,
            not_done: self.not_done + o.not_done,
            unstated: self.unstated + o.unstated,
            immediate: self.immediate + o.immediate,
            long_term: self.long_term + o.long_term,
            recovered_fen: self.recovered_fen + o.recovered_fen,
        }
    }

    pub fn of<'a>(problems: impl IntoIterator<Item = &'a Problem>) -> Tally {
        let mut t = Tally::default();
        for p in problems {
            t.add(p);
        }
        t
    }

    /// Completed share in whole percent, rounded (18 of 22 is 82%); never
    /// 100% while one is open, nor 0% once one is done.
    pub fn percent_completed(&self) -> usize {
        if self.problems == 0 {
            return 0;
        }
        let rounded = (self.completed * 200 + self.problems) / (self.problems * 2);
        match self.completed {
            0 => 0,
            c if c == self.problems => 100,
            _ => rounded.clamp(1, 99),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn share(completed: usize, problems: usize) -> usize {
        Tally {
            completed,
            problems,
            ..Tally::default()
        }
        .percent_completed()
    }

    #[test]
    fn shares_are_rounded_but_never_claim_all_or_none() {
        assert_eq!(share(18, 22), 82);
        assert_eq!(share(1, 3), 33);
        assert_eq!(share(2, 3), 67);
        assert_eq!(share(1, 2), 50);
        assert_eq!(share(199, 200), 99);
        assert_eq!(share(1, 1000), 1);
        assert_eq!(share(5, 5), 100);
        assert_eq!(share(0, 5), 0);
        assert_eq!(share(0, 0), 0);
    }
}
