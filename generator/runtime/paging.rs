//! Cursor paging (`after` in, `paging.next.after` out) as a stream of items.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

use super::error::Error;

/// Streams every item of every page. `fetch` gets the cursor (`None` for
/// the first page unless `first` is given) and returns a page's items and
/// the next cursor. Stops after the last page, after an error, or if the
/// server repeats a cursor.
pub fn paginate<T, F, Fut>(first: Option<String>, fetch: F) -> Paginate<T, F, Fut>
where
    F: FnMut(Option<String>) -> Fut + Unpin,
    Fut: Future<Output = Result<(Vec<T>, Option<String>), Error>>,
{
    Paginate {
        fetch,
        pending: None,
        buffer: VecDeque::new(),
        next: Some(first),
        seen: Vec::new(),
    }
}

/// The stream [`paginate`] returns.
pub struct Paginate<T, F, Fut> {
    fetch: F,
    /// The page being fetched.
    pending: Option<Pin<Box<Fut>>>,
    buffer: VecDeque<T>,
    /// `Some(cursor)`: a page is still to be fetched.
    next: Option<Option<String>>,
    seen: Vec<String>,
}

// Nothing is pinned in place: the page future is boxed, items are moved out.
impl<T, F: Unpin, Fut> Unpin for Paginate<T, F, Fut> {}

impl<T, F, Fut> Stream for Paginate<T, F, Fut>
where
    F: FnMut(Option<String>) -> Fut + Unpin,
    Fut: Future<Output = Result<(Vec<T>, Option<String>), Error>>,
{
    type Item = Result<T, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffer.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            let pending = match &mut this.pending {
                Some(pending) => pending,
                None => {
                    let Some(cursor) = this.next.take() else {
                        return Poll::Ready(None);
                    };
                    this.pending.insert(Box::pin((this.fetch)(cursor)))
                }
            };
            let page = match pending.as_mut().poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(page) => page,
            };
            this.pending = None;
            match page {
                Ok((items, next)) => {
                    this.buffer.extend(items);
                    this.next = match next {
                        Some(after) if !this.seen.contains(&after) => {
                            this.seen.push(after.clone());
                            Some(Some(after))
                        }
                        _ => None,
                    };
                }
                // `next` is already taken: the stream ends after the error.
                Err(error) => return Poll::Ready(Some(Err(error))),
            }
        }
    }
}
