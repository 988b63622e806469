//! Input as real DevTools events: clicks at a point, typed text, named keys.

use serde_json::json;

use crate::config;
use crate::error::{Error, Result};

use super::Page;

impl Page {
    /// Pauses `$SESSION_TEST_SLOWMO` ms before an action (none by default).
    pub(crate) fn slowmo(&self) {
        let pause = config::slowmo();
        if !pause.is_zero() {
            std::thread::sleep(pause.min(self.budget()));
        }
    }

    /// Before input: the slow-motion pause, and the tab brought to the front when its
    /// context has other tabs. Chromium holds input to a hidden tab (an opener behind its
    /// popup) about 5 s, and runs none of its animation frames.
    fn ready_for_input(&self) -> Result<()> {
        self.slowmo();
        if self.inner.ctx.open_popups().is_empty() {
            return Ok(());
        }
        self.call("Page.bringToFront", json!({})).map(drop)
    }

    /// A left click at viewport point (`x`, `y`); waits for a navigation it started.
    pub(crate) fn click_at(&self, x: f64, y: f64) -> Result<()> {
        self.ready_for_input()?;
        let clicked = self.with_navigation(|| {
            self.call(
                "Input.dispatchMouseEvent",
                json!({ "type": "mouseMoved", "x": x, "y": y }),
            )?;
            for kind in ["mousePressed", "mouseReleased"] {
                self.call(
                    "Input.dispatchMouseEvent",
                    json!({ "type": kind, "x": x, "y": y, "button": "left", "clickCount": 1 }),
                )?;
            }
            Ok(())
        });
        self.closing_is_done(clicked)
    }

    /// An action whose effect closed the tab (a popup's callback page calling
    /// `window.close()`) succeeded, even if the tab went before it answered.
    pub(super) fn closing_is_done(&self, outcome: Result<()>) -> Result<()> {
        match outcome {
            Err(Error::TabClosed { .. }) if self.is_closed() => Ok(()),
            other => other,
        }
    }

    /// Inserts `text` into the focused element, as an IME would (one input event).
    pub(crate) fn insert_text(&self, text: &str) -> Result<()> {
        self.ready_for_input()?;
        self.call("Input.insertText", json!({ "text": text }))
            .map(|_| ())
    }

    /// Types `text` into the focused element, a key event pair per character.
    pub(crate) fn type_keys(&self, text: &str) -> Result<()> {
        self.ready_for_input()?;
        for ch in text.chars() {
            let s = ch.to_string();
            self.call(
                "Input.dispatchKeyEvent",
                json!({ "type": "keyDown", "key": s, "text": s, "unmodifiedText": s }),
            )?;
            self.call(
                "Input.dispatchKeyEvent",
                json!({ "type": "keyUp", "key": s }),
            )?;
        }
        Ok(())
    }

    /// Presses a key on the focused element: a character, or a name such as `Enter`, `Tab`,
    /// `Escape`, `Backspace`, `Delete`, `ArrowDown`, `Home`. Waits for a navigation it starts
    /// (Enter in a form).
    pub fn press(&self, key: &str) -> Result<()> {
        // A character may be one of a password's: the trace names only named keys.
        let shown = if key.chars().count() > 1 { key } else { "•" };
        self.traced("press", String::new, |action| {
            action.detail = Some(shown.to_owned());
            self.press_key(key)
        })
    }

    /// `press`, as a step of another action.
    pub(crate) fn press_key(&self, key: &str) -> Result<()> {
        let def = key_definition(key).ok_or_else(|| Error::UnknownKey {
            key: key.to_string(),
            known: KEYS.iter().map(|k| k.0).collect::<Vec<_>>().join(", "),
        })?;
        self.ready_for_input()?;
        let pressed = self.with_navigation(|| {
            let mut down = json!({
                "type": if def.text.is_empty() { "rawKeyDown" } else { "keyDown" },
                "key": def.key, "code": def.code,
                "windowsVirtualKeyCode": def.key_code, "nativeVirtualKeyCode": def.key_code,
            });
            if !def.text.is_empty() {
                down["text"] = json!(def.text);
                down["unmodifiedText"] = json!(def.text);
            }
            self.call("Input.dispatchKeyEvent", down)?;
            self.call(
                "Input.dispatchKeyEvent",
                json!({ "type": "keyUp", "key": def.key, "code": def.code,
                        "windowsVirtualKeyCode": def.key_code, "nativeVirtualKeyCode": def.key_code }),
            )?;
            Ok(())
        });
        self.closing_is_done(pressed)
    }
}

pub(super) struct KeyDef {
    key: String,
    code: &'static str,
    key_code: u32,
    text: String,
}

pub(super) const KEYS: [(&str, &str, u32, &str); 14] = [
    ("Enter", "Enter", 13, "\r"),
    ("Tab", "Tab", 9, ""),
    ("Escape", "Escape", 27, ""),
    ("Backspace", "Backspace", 8, ""),
    ("Delete", "Delete", 46, ""),
    ("ArrowUp", "ArrowUp", 38, ""),
    ("ArrowDown", "ArrowDown", 40, ""),
    ("ArrowLeft", "ArrowLeft", 37, ""),
    ("ArrowRight", "ArrowRight", 39, ""),
    ("Home", "Home", 36, ""),
    ("End", "End", 35, ""),
    ("PageUp", "PageUp", 33, ""),
    ("PageDown", "PageDown", 34, ""),
    ("Space", "Space", 32, " "),
];

pub(super) fn key_definition(key: &str) -> Option<KeyDef> {
    if let Some(&(name, code, key_code, text)) = KEYS.iter().find(|k| k.0 == key) {
        return Some(KeyDef {
            key: name.into(),
            code,
            key_code,
            text: text.into(),
        });
    }
    let mut chars = key.chars();
    let ch = chars.next()?;
    if chars.next().is_some() {
        return None;
    }
    Some(KeyDef {
        key: key.into(),
        code: "",
        key_code: ch.to_ascii_uppercase() as u32,
        text: key.into(),
    })
}
