//! Requests to approve: a signed-in user asks for something, the admin (the user named
//! `admin`) sees it and approves it, and the user sees that — two people signed in at once.
//! The page polls, so each side sees the other's change without reloading.

use std::sync::Mutex;

use serde_json::{json, Value};

/// One request: who asked, for what, and whether the admin approved it.
struct Request {
    id: u64,
    by: String,
    text: String,
    approved: bool,
}

/// The requests made so far.
#[derive(Default)]
pub struct Requests {
    list: Mutex<Vec<Request>>,
}

/// The user who approves.
const ADMIN: &str = "admin";

impl Requests {
    /// What `user` sees: every request for the admin, their own for anyone else.
    pub fn seen_by(&self, user: &str) -> Value {
        let list = lock(&self.list);
        let seen: Vec<Value> = list
            .iter()
            .filter(|r| user == ADMIN || r.by == user)
            .map(|r| json!({ "id": r.id, "by": r.by, "text": r.text, "approved": r.approved }))
            .collect();
        json!({ "user": user, "admin": user == ADMIN, "requests": seen })
    }

    /// `user` asks for `text`; returns the request's id.
    pub fn add(&self, user: &str, text: &str) -> u64 {
        let mut list = lock(&self.list);
        let id = list.len() as u64 + 1;
        list.push(Request {
            id,
            by: user.to_owned(),
            text: text.to_owned(),
            approved: false,
        });
        id
    }

    /// `user` approves request `id`: only the admin may, and only one that exists.
    pub fn approve(&self, user: &str, id: u64) -> Result<(), (u16, &'static str)> {
        if user != ADMIN {
            return Err((403, "only the admin approves"));
        }
        let mut list = lock(&self.list);
        let request = list
            .iter_mut()
            .find(|r| r.id == id)
            .ok_or((404, "no such request"))?;
        request.approved = true;
        Ok(())
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_admin_sees_and_approves_what_a_user_asked_for() {
        let requests = Requests::default();
        let id = requests.add("bob", "a laptop");
        requests.add("carol", "a desk");
        assert_eq!(
            requests.seen_by("bob")["requests"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
        assert_eq!(
            requests.seen_by("admin")["requests"]
                .as_array()
                .unwrap()
                .len(),
            2
        );
        assert_eq!(
            requests.approve("bob", id),
            Err((403, "only the admin approves"))
        );
        assert_eq!(requests.approve("admin", 9), Err((404, "no such request")));
        requests.approve("admin", id).unwrap();
        assert_eq!(requests.seen_by("bob")["requests"][0]["approved"], true);
    }
}
