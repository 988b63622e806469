//! The film strip: JPEG frames of the test's pages (the first tab of each of its contexts)
//! from the browser's screencast (`Page.screencastFrame`), sent as a page paints, and which
//! one shows each action's end: a frame of the tab that acted.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

/// The most frames kept (the last ones: what led to a failure).
const MAX_FRAMES: usize = 150;

/// One frame: when it came, of which tab, the JPEG as base64.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Frame {
    pub at_ms: f64,
    /// The tab's number in the trace (0 in traces written before there were several).
    #[serde(default)]
    pub tab: u64,
    pub jpeg_base64: String,
}

/// The frames of a test's tabs, oldest first.
#[derive(Default)]
pub(crate) struct Frames {
    frames: VecDeque<Frame>,
    /// How many older frames were let go.
    dropped: usize,
}

impl Frames {
    pub fn push(&mut self, at_ms: f64, tab: u64, jpeg_base64: String) {
        if self.frames.len() == MAX_FRAMES {
            self.frames.pop_front();
            self.dropped += 1;
        }
        self.frames.push_back(Frame {
            at_ms,
            tab,
            jpeg_base64,
        });
    }

    /// The frame that shows tab `tab` at `at_ms`: the last of that tab that came before it;
    /// the last of any tab when that tab has none (a popup is not filmed).
    pub fn at(&self, at_ms: f64, tab: u64) -> Option<usize> {
        let after = self.frames.partition_point(|f| f.at_ms <= at_ms);
        let before = || self.frames.range(..after).enumerate().rev();
        before()
            .find(|(_, f)| f.tab == tab)
            .or_else(|| before().next())
            .map(|(i, _)| i)
    }

    pub fn all(&self) -> Vec<Frame> {
        self.frames.iter().cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_frame_of_a_moment_is_the_last_before_it() {
        let mut f = Frames::default();
        assert_eq!(f.at(5.0, 0), None);
        f.push(1.0, 0, "a".into());
        f.push(3.0, 0, "b".into());
        assert_eq!(
            (f.at(0.5, 0), f.at(1.0, 0), f.at(2.9, 0), f.at(99.0, 0)),
            (None, Some(0), Some(0), Some(1))
        );
        for i in 0..MAX_FRAMES {
            f.push(10.0 + i as f64, 0, String::new());
        }
        assert_eq!(f.all().len(), MAX_FRAMES);
        assert_eq!(f.dropped, 2);
    }

    #[test]
    fn an_action_is_shown_by_a_frame_of_its_own_tab() {
        let mut f = Frames::default();
        f.push(1.0, 0, "own".into());
        f.push(2.0, 1, "other".into());
        f.push(3.0, 0, "own again".into());
        assert_eq!(
            f.at(2.5, 1),
            Some(1),
            "the other context's page, not the newer own"
        );
        assert_eq!(f.at(2.5, 0), Some(0));
        assert_eq!(f.at(9.0, 0), Some(2));
        assert_eq!(
            f.at(9.0, 5),
            Some(2),
            "an unfilmed popup: the last frame of any tab"
        );
    }
}
