//! Batch calls of any size: inputs beyond an operation's limit are split
//! into requests of at most that many, sent a few at a time, and merged into
//! one response in input order; per-input cursors are followed until every
//! input's associations are read. Works on the JSON, so every batch
//! operation shares this one implementation.

use std::collections::HashMap;

use serde_json::{Map, Value};
use std::future::Future;
use std::pin::Pin;
use std::task::Poll;

use super::client::Client;
use super::error::Error;
use super::request::{Request, Response};

/// How a batch operation may be split and completed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchPlan {
    /// Generated default inputs per request (the client may override it).
    pub limit: usize,
    /// Follow `results[].paging.next.after` per input until exhausted.
    pub follow_cursors: bool,
    /// The response type has an `errors` list, so a chunk that fails as a
    /// whole is reported there (per input) instead of failing the call.
    pub partial_failures: bool,
}

/// Most follow-up rounds for per-input cursors (a guard against a server
/// that never stops paging).
const MAX_CURSOR_ROUNDS: usize = 10_000;

impl Client {
    /// Sends a batch request, chunked and merged as `plan` says.
    /// `inputs` is how many the body carries (the generated code knows it
    /// without re-reading the JSON).
    pub(crate) async fn execute_batch(
        &self,
        request: Request,
        plan: BatchPlan,
        inputs: usize,
    ) -> Result<Response, Error> {
        let limit = self.batch_limit(request.operation, plan.limit);
        if inputs <= limit && !plan.follow_cursors {
            return self.execute(request).await;
        }
        let mut merged = self.execute_chunked(&request, limit, plan).await?;
        if plan.follow_cursors {
            self.follow_cursors(&request, limit, plan, &mut merged)
                .await?;
        }
        Ok(merged.into_response(request.operation))
    }

    async fn execute_chunked(
        &self,
        request: &Request,
        limit: usize,
        plan: BatchPlan,
    ) -> Result<Merged, Error> {
        let inputs = request.json_inputs();
        let chunks: Vec<Vec<Value>> = if inputs.is_empty() {
            vec![Vec::new()]
        } else {
            inputs.chunks(limit).map(<[Value]>::to_vec).collect()
        };
        let requests: Vec<(Vec<Value>, Result<Request, Error>)> = chunks
            .into_iter()
            .map(|chunk| {
                let sub = request.with_inputs(chunk.clone());
                (chunk, sub)
            })
            .collect();
        let sends = requests.into_iter().map(|(chunk, sub)| async move {
            match sub {
                Ok(sub) => (chunk, self.execute(sub).await),
                Err(e) => (chunk, Err(e)),
            }
        });
        let responses = in_order_bounded(sends, self.max_concurrency()).await;
        let mut merged = Merged::default();
        let mut first_error = None;
        for (chunk, response) in responses {
            match response {
                Ok(response) => merged.add(&response)?,
                Err(error) if plan.partial_failures => {
                    merged.add_failed_chunk(&chunk, &error);
                    first_error.get_or_insert(error);
                }
                Err(error) => return Err(error),
            }
        }
        match (merged.body.is_some(), first_error) {
            // Every chunk failed: nothing to merge into, so the first error is the answer.
            (false, Some(error)) => Err(error),
            _ => Ok(merged),
        }
    }

    async fn follow_cursors(
        &self,
        request: &Request,
        limit: usize,
        plan: BatchPlan,
        merged: &mut Merged,
    ) -> Result<(), Error> {
        let mut seen = std::collections::HashSet::new();
        for _ in 0..MAX_CURSOR_ROUNDS {
            let cursors = merged.take_cursors();
            let cursors: Vec<(String, String)> = cursors
                .into_iter()
                .filter(|c| seen.insert(c.clone()))
                .collect();
            if cursors.is_empty() {
                return Ok(());
            }
            let inputs: Vec<Value> = cursors
                .iter()
                .map(|(id, after)| serde_json::json!({ "id": id, "after": after }))
                .collect();
            let next_request = request.with_inputs(inputs)?;
            let page = Box::pin(self.execute_chunked(
                &next_request,
                limit,
                BatchPlan {
                    follow_cursors: false,
                    ..plan
                },
            ))
            .await?;
            merged.absorb_page(page);
        }
        Ok(())
    }
}

/// Runs futures at most `limit` at a time; outputs in input order.
async fn in_order_bounded<F: Future>(
    futures: impl IntoIterator<Item = F>,
    limit: usize,
) -> Vec<F::Output> {
    let mut waiting = futures.into_iter().enumerate();
    let mut running: Vec<(usize, Pin<Box<F>>)> = Vec::new();
    let mut done: Vec<(usize, F::Output)> = Vec::new();
    std::future::poll_fn(|cx| {
        while running.len() < limit.max(1) {
            let Some((i, future)) = waiting.next() else {
                break;
            };
            running.push((i, Box::pin(future)));
        }
        let mut at = 0;
        while at < running.len() {
            match running[at].1.as_mut().poll(cx) {
                Poll::Pending => at += 1,
                Poll::Ready(output) => {
                    let (i, _) = running.swap_remove(at);
                    done.push((i, output));
                    // Keep `limit` in flight; the new one is polled in this pass.
                    if let Some((i, future)) = waiting.next() {
                        running.push((i, Box::pin(future)));
                    }
                }
            }
        }
        if running.is_empty() {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    })
    .await;
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, output)| output).collect()
}

/// The merged JSON body of several chunk responses.
#[derive(Debug, Default)]
struct Merged {
    status: Option<u16>,
    body: Option<Map<String, Value>>,
    results: Vec<Value>,
    errors: Vec<Value>,
    has_errors: bool,
    num_errors: Option<i64>,
}

impl Merged {
    fn add(&mut self, response: &Response) -> Result<(), Error> {
        let body: Value = response.json()?;
        let Value::Object(mut body) = body else {
            return Err(response.decode_error("", "a batch response must be a JSON object"));
        };
        if let Some(Value::Array(results)) = body.remove("results") {
            self.results.extend(results);
        }
        if let Some(Value::Array(errors)) = body.remove("errors") {
            self.has_errors = true;
            self.errors.extend(errors);
        }
        if let Some(n) = body.remove("numErrors").and_then(|n| n.as_i64()) {
            *self.num_errors.get_or_insert(0) += n;
        }
        // 207 wins: one partial chunk makes the whole call partial.
        self.status = Some(match self.status {
            Some(207) => 207,
            _ => response.status(),
        });
        match &mut self.body {
            None => self.body = Some(body),
            Some(first) => {
                // Keep the earliest start and the latest completion.
                if let Some(done) = body.remove("completedAt") {
                    first.insert("completedAt".into(), done);
                }
            }
        }
        Ok(())
    }

    fn add_failed_chunk(&mut self, chunk: &[Value], error: &Error) {
        let ids: Vec<Value> = chunk
            .iter()
            .filter_map(|input| {
                input
                    .get("id")
                    .or_else(|| input.pointer("/from/id"))
                    .cloned()
            })
            .collect();
        self.has_errors = true;
        self.errors.push(serde_json::json!({
            "status": "error",
            "category": "CLIENT_CHUNK_FAILED",
            "message": error.to_string(),
            "context": { "ids": ids },
            "errors": [],
            "links": {},
        }));
        *self.num_errors.get_or_insert(0) += 1;
        self.status = Some(207);
    }

    /// `(from.id, after)` of every result that has another page; the cursor
    /// is removed from the result.
    fn take_cursors(&mut self) -> Vec<(String, String)> {
        let mut cursors = Vec::new();
        for result in &mut self.results {
            let Some(after) = result
                .pointer("/paging/next/after")
                .and_then(Value::as_str)
                .map(str::to_owned)
            else {
                continue;
            };
            let Some(id) = result
                .pointer("/from/id")
                .and_then(Value::as_str)
                .map(str::to_owned)
            else {
                continue;
            };
            if let Some(paging) = result.get_mut("paging").and_then(Value::as_object_mut) {
                paging.remove("next");
            }
            cursors.push((id, after));
        }
        cursors
    }

    /// Appends a follow-up page's associations to the results they continue.
    fn absorb_page(&mut self, page: Merged) {
        let mut by_id: HashMap<String, usize> = HashMap::new();
        for (i, result) in self.results.iter().enumerate() {
            if let Some(id) = result.pointer("/from/id").and_then(Value::as_str) {
                by_id.entry(id.to_owned()).or_insert(i);
            }
        }
        for mut result in page.results {
            let id = result
                .pointer("/from/id")
                .and_then(Value::as_str)
                .map(str::to_owned);
            let Some(&at) = id.as_ref().and_then(|id| by_id.get(id)) else {
                self.results.push(result);
                continue;
            };
            let more = match result.get_mut("to").map(Value::take) {
                Some(Value::Array(more)) => more,
                _ => Vec::new(),
            };
            let target = &mut self.results[at];
            if let Some(Value::Array(to)) = target.get_mut("to") {
                to.extend(more);
            }
            if let Some(next) = result.pointer("/paging/next").cloned() {
                if let Some(paging) = target.get_mut("paging").and_then(Value::as_object_mut) {
                    paging.insert("next".into(), next);
                } else if let Some(object) = target.as_object_mut() {
                    object.insert("paging".into(), serde_json::json!({ "next": next }));
                }
            }
        }
        if page.has_errors {
            self.has_errors = true;
            self.errors.extend(page.errors);
        }
        if let Some(n) = page.num_errors {
            *self.num_errors.get_or_insert(0) += n;
        }
        if page.status == Some(207) {
            self.status = Some(207);
        }
    }

    fn into_response(self, operation: &'static str) -> Response {
        let mut body = self.body.unwrap_or_default();
        body.insert("results".into(), Value::Array(self.results));
        if self.has_errors {
            body.insert("errors".into(), Value::Array(self.errors));
        }
        if let Some(n) = self.num_errors {
            body.insert("numErrors".into(), Value::from(n));
        }
        let bytes = serde_json::to_vec(&Value::Object(body)).unwrap_or_default();
        Response::new(operation, self.status.unwrap_or(200), bytes)
    }
}
