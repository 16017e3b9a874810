//! Cursor paging (`after` in, `paging.next.after` out) as a stream of items.

use std::collections::VecDeque;
use std::future::Future;

use futures_core::Stream;

use super::error::Error;

/// Streams every item of every page. `fetch` gets the cursor (`None` for
/// the first page unless `first` is given) and returns a page's items and
/// the next cursor. Stops after the last page, after an error, or if the
/// server repeats a cursor.
pub fn paginate<T, F, Fut>(first: Option<String>, fetch: F) -> impl Stream<Item = Result<T, Error>>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<(Vec<T>, Option<String>), Error>>,
{
    struct State<T, F> {
        fetch: F,
        buffer: VecDeque<T>,
        /// `Some(cursor)`: a page is still to be fetched.
        next: Option<Option<String>>,
        seen: Vec<String>,
    }
    let state = State {
        fetch,
        buffer: VecDeque::new(),
        next: Some(first),
        seen: Vec::new(),
    };
    futures_util::stream::unfold(state, |mut state| async move {
        loop {
            if let Some(item) = state.buffer.pop_front() {
                return Some((Ok(item), state));
            }
            let cursor = state.next.take()?;
            match (state.fetch)(cursor).await {
                Ok((items, next)) => {
                    state.buffer.extend(items);
                    state.next = match next {
                        Some(after) if !state.seen.contains(&after) => {
                            state.seen.push(after.clone());
                            Some(Some(after))
                        }
                        _ => None,
                    };
                }
                Err(error) => return Some((Err(error), state)),
            }
        }
    })
}
