//! Cursor paging (`after` in, `paging.next.after` out) as a stream of items.

use std::collections::{HashSet, VecDeque};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

use super::error::Error;

/// Streams every item of every page of `operation`. `fetch` gets the cursor
/// (`None` for the first page unless `first` is given) and returns a page's
/// items and the next cursor. Stops after the last page or after an error.
/// A cursor the server already gave would loop forever: the items read so
/// far are yielded, then an error, so the caller never mistakes it for the end.
pub fn paginate<T, F, Fut>(
    operation: &'static str,
    first: Option<String>,
    fetch: F,
) -> Paginate<T, F, Fut>
where
    F: FnMut(Option<String>) -> Fut + Unpin,
    Fut: Future<Output = Result<(Vec<T>, Option<String>), Error>>,
{
    Paginate {
        operation,
        fetch,
        pending: None,
        buffer: VecDeque::new(),
        next: Some(first),
        seen: HashSet::new(),
        repeated: None,
    }
}

/// The stream [`paginate`] returns.
pub struct Paginate<T, F, Fut> {
    operation: &'static str,
    fetch: F,
    /// The page being fetched.
    pending: Option<Pin<Box<Fut>>>,
    buffer: VecDeque<T>,
    /// `Some(cursor)`: a page is still to be fetched.
    next: Option<Option<String>>,
    seen: HashSet<String>,
    /// A cursor the server gave twice: reported once the buffer is empty.
    repeated: Option<String>,
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
            if let Some(cursor) = this.repeated.take() {
                return Poll::Ready(Some(Err(Error::Decode {
                    operation: this.operation,
                    status: 200,
                    path: "paging.next.after".into(),
                    message: format!(
                        "HubSpot gave the cursor {cursor:?} a second time; the pages after it cannot be read"
                    ),
                    snippet: String::new(),
                    correlation_id: None,
                })));
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
                        Some(after) if this.seen.insert(after.clone()) => Some(Some(after)),
                        Some(after) => {
                            this.repeated = Some(after);
                            None
                        }
                        None => None,
                    };
                }
                // `next` is already taken: the stream ends after the error.
                Err(error) => return Poll::Ready(Some(Err(error))),
            }
        }
    }
}
