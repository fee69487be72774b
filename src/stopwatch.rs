//! Times the stages of a run, for `build --verbose`.

use std::time::{Duration, Instant};

/// Times the stages of a run.
#[derive(Debug)]
pub struct Stopwatch {
    last: Instant,
    pub stages: Vec<(&'static str, Duration)>,
}

impl Stopwatch {
    pub fn new() -> Stopwatch {
        Stopwatch {
            last: Instant::now(),
            stages: Vec::new(),
        }
    }

    pub fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.stages.push((stage, now - self.last));
        self.last = now;
    }
}
