//! `SESSION_TEST_TRACE`: whether tests are traced, and which traces are kept.

/// Which tests are traced and whose trace is written (`$SESSION_TEST_TRACE`, or
/// [`set_trace_mode`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TraceMode {
    /// No trace (`off`): no console or network events are asked for.
    Off,
    /// Every test's trace is written (`on`).
    On,
    /// Every test is traced; only a failing test's is written (the default).
    RetainOnFailure,
}

impl TraceMode {
    /// Whether tests are traced at all.
    pub(crate) fn records(self) -> bool {
        self != TraceMode::Off
    }

    /// Whether the trace of a test that passed (or not) is written.
    pub(crate) fn keeps(self, passed: bool) -> bool {
        match self {
            TraceMode::Off => false,
            TraceMode::On => true,
            TraceMode::RetainOnFailure => !passed,
        }
    }

    fn parse(value: &str) -> Option<TraceMode> {
        match value.trim() {
            "off" | "0" => Some(TraceMode::Off),
            "on" | "1" => Some(TraceMode::On),
            "retain-on-failure" | "" => Some(TraceMode::RetainOnFailure),
            _ => None,
        }
    }
}

/// The mode [`set_trace_mode`] set.
static SET: std::sync::RwLock<Option<TraceMode>> = std::sync::RwLock::new(None);

/// Traces tests as `mode` says from the next page opened on, for the whole process,
/// instead of what `$SESSION_TEST_TRACE` says (for harnesses and benchmarks).
///
/// ```
/// session_test::config::set_trace_mode(session_test::config::TraceMode::On);
/// ```
pub fn set_trace_mode(mode: TraceMode) {
    *crate::sync::write(&SET) = Some(mode);
}

/// The mode [`set_trace_mode`] set, else the one `$SESSION_TEST_TRACE` asks for; an unknown
/// value is warned about once and taken as the default.
pub(crate) fn mode() -> TraceMode {
    if let Some(set) = *crate::sync::read(&SET) {
        return set;
    }
    static MODE: std::sync::OnceLock<TraceMode> = std::sync::OnceLock::new();
    *MODE.get_or_init(|| {
        let Ok(value) = std::env::var("SESSION_TEST_TRACE") else {
            return TraceMode::RetainOnFailure;
        };
        TraceMode::parse(&value).unwrap_or_else(|| {
            crate::log::warn(&format!(
                "SESSION_TEST_TRACE={value:?} is not one of off, on, retain-on-failure; \
                 using retain-on-failure"
            ));
            TraceMode::RetainOnFailure
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_and_what_each_keeps() {
        assert_eq!(TraceMode::parse("off"), Some(TraceMode::Off));
        assert_eq!(TraceMode::parse(" on "), Some(TraceMode::On));
        assert_eq!(
            TraceMode::parse("retain-on-failure"),
            Some(TraceMode::RetainOnFailure)
        );
        assert_eq!(TraceMode::parse("always"), None);
        assert!(!TraceMode::Off.records());
        assert!(TraceMode::RetainOnFailure.keeps(false));
        assert!(!TraceMode::RetainOnFailure.keeps(true));
        assert!(TraceMode::On.keeps(true));
    }
}
