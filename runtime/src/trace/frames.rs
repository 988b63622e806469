//! The film strip: JPEG frames of the test's tab from the browser's screencast
//! (`Page.screencastFrame`), sent as the page paints, and which one shows each action's end.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

/// The most frames kept (the last ones: what led to a failure).
const MAX_FRAMES: usize = 150;

/// One frame: when it came, the JPEG as base64.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Frame {
    pub at_ms: f64,
    pub jpeg_base64: String,
}

/// The frames of a test's own tab, oldest first.
#[derive(Default)]
pub(crate) struct Frames {
    frames: VecDeque<Frame>,
    /// How many older frames were let go.
    dropped: usize,
}

impl Frames {
    pub fn push(&mut self, at_ms: f64, jpeg_base64: String) {
        if self.frames.len() == MAX_FRAMES {
            self.frames.pop_front();
            self.dropped += 1;
        }
        self.frames.push_back(Frame { at_ms, jpeg_base64 });
    }

    /// The frame that shows the page at `at_ms`: the last one that came before it.
    pub fn at(&self, at_ms: f64) -> Option<usize> {
        let after = self.frames.partition_point(|f| f.at_ms <= at_ms);
        after.checked_sub(1)
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
        assert_eq!(f.at(5.0), None);
        f.push(1.0, "a".into());
        f.push(3.0, "b".into());
        assert_eq!(
            (f.at(0.5), f.at(1.0), f.at(2.9), f.at(99.0)),
            (None, Some(0), Some(0), Some(1))
        );
        for i in 0..MAX_FRAMES {
            f.push(10.0 + i as f64, String::new());
        }
        assert_eq!(f.all().len(), MAX_FRAMES);
        assert_eq!(f.dropped, 2);
    }
}
