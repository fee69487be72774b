//! Counts of problems by where their rectification stands.

use super::{Problem, State};

/// Counts for the dashboard, per category or overall.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
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
    pub recovered_fen: i64,
}

impl Tally {
    pub fn add(&mut self, p: &Problem) {
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
        self.recovered_fen += p.recovered.as_ref().map_or(0, |y| y.fen());
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

    /// Completed share in whole percent.
    pub fn percent_completed(&self) -> usize {
        (self.completed * 100)
            .checked_div(self.problems)
            .unwrap_or(0)
    }
}
