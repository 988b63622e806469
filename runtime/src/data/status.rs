//! What a `session!` call did.

/// What a `session!` call did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SessionStatus {
    /// First use in the process: setup ran and the session was saved.
    Created,
    /// A saved session was restored and passed validation.
    Restored,
    /// A saved session failed validation, so setup ran again.
    Recreated,
}

impl std::fmt::Display for SessionStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            SessionStatus::Created => "created",
            SessionStatus::Restored => "restored",
            SessionStatus::Recreated => "recreated",
        })
    }
}
