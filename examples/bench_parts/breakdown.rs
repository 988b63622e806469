//! Where a test's time goes: the runtime's `tracing` spans (`open`, `session`, `restore`,
//! `navigate` per site, `reset`, …), the time each was entered summed per name (`navigate`
//! per site) while a phase runs. Spans nest: `session` holds its `restore`, `test` holds the
//! test's body.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id};
use tracing::Subscriber;
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::util::SubscriberInitExt;

/// Per span name: the time summed and how many closed.
static TOTALS: Mutex<BTreeMap<String, (Duration, u64)>> = Mutex::new(BTreeMap::new());

/// The name a span is summed under, and when it was last entered.
struct Timed(String, Option<Instant>);

/// The `site` field of a `navigate` span.
struct Site(Option<String>);

impl Visit for Site {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        if field.name() == "site" {
            self.0 = Some(format!("{value:?}"));
        }
    }
}

struct Timing;

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for Timing {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        if attrs.metadata().target() != "session_test" {
            return;
        }
        let mut site = Site(None);
        attrs.record(&mut site);
        let name = match site.0 {
            Some(site) => format!("{} {site}", attrs.metadata().name()),
            None => attrs.metadata().name().to_owned(),
        };
        if let Some(span) = ctx.span(id) {
            span.extensions_mut().insert(Timed(name, None));
        }
    }

    fn on_enter(&self, id: &Id, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(id) else { return };
        let mut extensions = span.extensions_mut();
        if let Some(timed) = extensions.get_mut::<Timed>() {
            timed.1 = Some(Instant::now());
        }
    }

    fn on_exit(&self, id: &Id, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(id) else { return };
        let mut extensions = span.extensions_mut();
        let Some(Timed(name, entered)) = extensions.get_mut::<Timed>() else {
            return;
        };
        let Some(at) = entered.take() else { return };
        let mut totals = TOTALS.lock().unwrap();
        let total = totals.entry(name.clone()).or_default();
        total.0 += at.elapsed();
        total.1 += 1;
    }
}

/// Sums the runtime's spans from now on.
pub fn install() {
    tracing_subscriber::registry().with(Timing).init();
}

/// The sums since the last call, each as milliseconds per test of `tests`, with its count.
pub fn take(tests: usize) -> serde_json::Value {
    let totals = std::mem::take(&mut *TOTALS.lock().unwrap());
    let per_test =
        |d: Duration| (d.as_secs_f64() * 1e3 / tests.max(1) as f64 * 10.0).round() / 10.0;
    totals
        .into_iter()
        .map(|(name, (total, n))| {
            (
                name,
                serde_json::json!({ "ms_per_test": per_test(total), "n": n }),
            )
        })
        .collect::<serde_json::Map<_, _>>()
        .into()
}
