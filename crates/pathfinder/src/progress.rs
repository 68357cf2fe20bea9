//! The progress bar on standard error: files done of files found, and the
//! findings so far. It stays hidden for the first second, so quick scans
//! print nothing, and it is only used when standard error is a terminal.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use pathfinder_engine::Progress;

const DELAY: Duration = Duration::from_secs(1);

pub(crate) struct Bar {
    inner: ProgressBar,
    started: Instant,
    findings: AtomicU64,
    visible: std::sync::atomic::AtomicBool,
}

impl Bar {
    pub(crate) fn new() -> Bar {
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {pos}/{len} files {msg} [{elapsed}]")
                .expect("a valid template"),
        );
        Bar {
            inner: bar,
            started: Instant::now(),
            findings: AtomicU64::new(0),
            visible: std::sync::atomic::AtomicBool::new(false),
        }
    }

    pub(crate) fn finish(&self) {
        self.inner.finish_and_clear();
    }

    fn reveal_when_slow(&self) {
        if !self.visible.load(Ordering::Relaxed) && self.started.elapsed() >= DELAY {
            self.visible.store(true, Ordering::Relaxed);
            self.inner.set_draw_target(ProgressDrawTarget::stderr());
            self.inner.enable_steady_tick(Duration::from_millis(120));
        }
    }
}

impl Progress for Bar {
    fn discovered(&self) {
        self.inner.inc_length(1);
        self.reveal_when_slow();
    }

    fn finished(&self, findings: usize) {
        let total = self.findings.fetch_add(findings as u64, Ordering::Relaxed) + findings as u64;
        if findings > 0 {
            self.inner.set_message(format!("· {total} findings"));
        }
        self.inner.inc(1);
        self.reveal_when_slow();
    }
}
