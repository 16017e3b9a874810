//! Client-side rate limiting: at most N requests per window (HubSpot's
//! ten-secondly limit), shared by every clone of a client, and a pause when
//! HubSpot's `X-HubSpot-RateLimit-Remaining` says the window is used up.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

#[derive(Debug)]
pub(crate) struct RateLimiter {
    max_requests: usize,
    window: Duration,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    /// Start times of the requests in the current window, oldest first.
    recent: VecDeque<Instant>,
    /// No request starts before this (set from HubSpot's headers).
    paused_until: Option<Instant>,
}

impl RateLimiter {
    pub(crate) fn new(max_requests: u32, window: Duration) -> Self {
        Self {
            max_requests: max_requests.max(1) as usize,
            window,
            state: Mutex::new(State::default()),
        }
    }

    /// Waits until one more request fits, then counts it.
    pub(crate) async fn acquire(&self) {
        loop {
            let wait_until = {
                let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
                let now = Instant::now();
                while state
                    .recent
                    .front()
                    .is_some_and(|t| now.duration_since(*t) >= self.window)
                {
                    state.recent.pop_front();
                }
                match state.paused_until {
                    Some(until) if until > now => Some(until),
                    _ if state.recent.len() < self.max_requests => {
                        state.recent.push_back(now);
                        None
                    }
                    _ => state.recent.front().map(|t| *t + self.window),
                }
            };
            match wait_until {
                None => return,
                Some(until) => tokio::time::sleep_until(until).await,
            }
        }
    }

    /// Reads HubSpot's rate-limit headers from a response.
    pub(crate) fn observe<'a>(&self, header: impl Fn(&str) -> Option<&'a str>) {
        let number = |name: &str| -> Option<u64> { header(name)?.trim().parse().ok() };
        let (Some(remaining), interval) = (
            number("x-hubspot-ratelimit-remaining"),
            number("x-hubspot-ratelimit-interval-milliseconds"),
        ) else {
            return;
        };
        if remaining == 0 {
            let pause = interval
                .map(Duration::from_millis)
                .unwrap_or(self.window)
                .min(self.window);
            let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
            state.paused_until = Some(Instant::now() + pause);
        }
    }
}
