//! The tabs of a test's trace: every action, console line, request and film frame names the
//! tab it came from by number, and this says which of the test's browser contexts each tab
//! is in (0 the test's own; 1 and on, those `page.new_context()` opened, in order).

use serde::{Deserialize, Serialize};

/// One tab of the test.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Tab {
    /// Its number in the trace: 0 for the test's own page, then in the order they opened.
    pub tab: u64,
    /// Its context's number among the test's.
    pub context: u64,
}

/// A tab as the report names it: `tab 2 (context 1)`, the context left out for the test's
/// own.
pub(crate) fn tab_name(tabs: &[Tab], tab: u64) -> String {
    match tabs.iter().find(|t| t.tab == tab) {
        Some(t) if t.context > 0 => format!("tab {tab} (context {})", t.context),
        _ => format!("tab {tab}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tab_of_another_context_is_named_with_it() {
        let tabs = [Tab { tab: 0, context: 0 }, Tab { tab: 1, context: 1 }];
        assert_eq!(tab_name(&tabs, 0), "tab 0");
        assert_eq!(tab_name(&tabs, 1), "tab 1 (context 1)");
        assert_eq!(tab_name(&tabs, 7), "tab 7");
    }
}
