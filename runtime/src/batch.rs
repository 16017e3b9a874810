//! Batch calls of any size: inputs beyond an operation's limit are split
//! into requests of at most that many, sent a few at a time, and merged into
//! one response in input order; per-input cursors are followed until every
//! input's associations are read. Works on the JSON, so every batch
//! operation shares this one implementation; how chunk answers merge is the
//! operation's [`BatchMerge`], chosen by the generator from its document.

use std::collections::HashMap;
use std::ops::Range;

use serde_json::{Map, Value};
use std::future::Future;
use std::pin::Pin;
use std::task::Poll;

use super::client::Client;
use super::error::{ChunkFailure, Error};
use super::request::{Request, Response};

/// How a batch operation may be split and completed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchPlan {
    /// Generated default inputs per request (the client may override it).
    pub limit: usize,
    /// Follow `results[].paging.next.after` per input until exhausted.
    pub follow_cursors: bool,
    /// How the answers of several chunks become one.
    pub merge: BatchMerge,
}

/// How the answers of a chunked call become one answer, by the shape of the
/// operation's documented success responses. The merged answer only ever
/// carries a status the document lists; a failure the client observed (a
/// chunk that failed after retries) is reported as the client's, never as
/// something HubSpot sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BatchMerge {
    /// JSON, with a documented 207: all chunks fully successful merge into
    /// `ok`; a chunk answering 207, or failing, makes the merged answer the
    /// 207 (whose `errors` list has one entry per failed chunk).
    MultiStatus {
        /// The documented full-success status (200 or 201).
        ok: u16,
    },
    /// JSON without a 207, whose success type has an `errors` list: merged
    /// into `ok`, a failed chunk reported as one entry of `errors`.
    ErrorsList {
        /// The documented success status.
        ok: u16,
    },
    /// No body (204), or JSON with nowhere to report a failed chunk: all
    /// chunks successful merge into `ok`; a failed chunk fails the call with
    /// [`Error::Batch`], which names the inputs done and not done.
    AllOrError {
        /// The documented success status.
        ok: u16,
        /// The success answer has a JSON body to merge.
        json: bool,
    },
}

/// Most follow-up rounds for per-input cursors (a guard against a server
/// that never stops paging).
const MAX_CURSOR_ROUNDS: usize = 10_000;

/// Category of the `errors` entry that stands for a chunk surely not
/// carried out: never sent, or refused (a 4xx, a 429).
const CHUNK_FAILED: &str = "CLIENT_CHUNK_FAILED";

/// Category of the `errors` entry that stands for a chunk that left and got
/// no clear refusal (a timeout, a connection lost after sending, a 5xx, an
/// unreadable 2xx): HubSpot may have carried out some of its inputs, so
/// resending them may repeat a write.
const CHUNK_OUTCOME_UNKNOWN: &str = "CLIENT_CHUNK_OUTCOME_UNKNOWN";

/// One chunk of a call and what became of it.
struct ChunkOutcome {
    /// Positions of its inputs in the call's `inputs`.
    positions: Range<usize>,
    inputs: Vec<Value>,
    answer: Result<Response, Error>,
}

impl Client {
    /// Sends a batch request, chunked and merged as `plan` says.
    /// `inputs` is how many the body carries (the generated code knows it
    /// without re-reading the JSON).
    #[doc(hidden)]
    pub async fn execute_batch(
        &self,
        request: Request,
        plan: BatchPlan,
        inputs: usize,
    ) -> Result<Response, Error> {
        // A path that cannot be sent fails the call once, before it is
        // split (every chunk would fail alike); the prefix plays no part.
        request.target("")?;
        let limit = self.batch_limit(request.operation, plan.limit);
        if inputs <= limit && !plan.follow_cursors {
            return self.execute(request).await;
        }
        let outcomes = self.send_chunks(&request, limit).await;
        let mut merged = Merged::new(plan.merge, request.operation, outcomes.len());
        for (chunk, outcome) in outcomes.into_iter().enumerate() {
            merged.add_chunk(chunk, outcome, "chunk");
        }
        if plan.follow_cursors && merged.body.is_some() {
            self.follow_cursors(&request, limit, &mut merged).await?;
        }
        merged.finish()
    }

    /// Sends `request`'s inputs in chunks of `limit`, a few at a time; the
    /// outcomes in input order.
    async fn send_chunks(&self, request: &Request, limit: usize) -> Vec<ChunkOutcome> {
        let inputs = request.json_inputs();
        let limit = limit.max(1);
        let mut chunks: Vec<(Range<usize>, Vec<Value>)> = inputs
            .chunks(limit)
            .enumerate()
            .map(|(i, chunk)| (i * limit..i * limit + chunk.len(), chunk.to_vec()))
            .collect();
        if chunks.is_empty() {
            chunks.push((0..0, Vec::new()));
        }
        let sends = chunks.into_iter().map(|(positions, inputs)| async move {
            let answer = match request.with_inputs(inputs.clone()) {
                Ok(sub) => self.execute(sub).await,
                Err(e) => Err(e),
            };
            ChunkOutcome {
                positions,
                inputs,
                answer,
            }
        });
        in_order_bounded(sends, self.max_concurrency()).await
    }

    async fn follow_cursors(
        &self,
        request: &Request,
        limit: usize,
        merged: &mut Merged,
    ) -> Result<(), Error> {
        let mut seen = std::collections::HashSet::new();
        let inputs = request.json_inputs();
        let call_position: HashMap<&str, usize> = inputs
            .iter()
            .enumerate()
            .filter_map(|(at, input)| Some((input.get("id")?.as_str()?, at)))
            .collect();
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
            let outcomes = self.send_chunks(&next_request, limit).await;
            let mut page = Merged::new(merged.merge, request.operation, outcomes.len());
            // Failures are reported by the inputs' positions in the call.
            page.call_positions = Some(
                cursors
                    .iter()
                    .map(|(id, _)| call_position.get(id.as_str()).copied().unwrap_or(0))
                    .collect(),
            );
            for (chunk, outcome) in outcomes.into_iter().enumerate() {
                page.add_chunk(chunk, outcome, "next-page chunk");
            }
            merged.absorb_page(page)?;
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

/// The chunks' answers merged so far.
#[derive(Debug)]
struct Merged {
    merge: BatchMerge,
    operation: &'static str,
    chunks: usize,
    /// How many inputs the call carried.
    inputs: usize,
    /// Some chunk answered 207.
    partial: bool,
    /// The first JSON answer's fields other than the merged ones.
    body: Option<Map<String, Value>>,
    results: Vec<Value>,
    errors: Vec<Value>,
    has_errors: bool,
    num_errors: Option<i64>,
    done: Vec<Range<usize>>,
    failed: Vec<ChunkFailure>,
    /// For a follow-up page: the position in the call of each of its
    /// inputs (its own positions otherwise).
    call_positions: Option<Vec<usize>>,
}

impl Merged {
    fn new(merge: BatchMerge, operation: &'static str, chunks: usize) -> Self {
        Merged {
            merge,
            operation,
            chunks,
            inputs: 0,
            partial: false,
            body: None,
            results: Vec::new(),
            errors: Vec::new(),
            has_errors: false,
            num_errors: None,
            done: Vec::new(),
            failed: Vec::new(),
            call_positions: None,
        }
    }

    /// `positions` of this request's inputs as ranges of positions in the call.
    fn in_call(&self, positions: &Range<usize>) -> Vec<Range<usize>> {
        let Some(map) = &self.call_positions else {
            return vec![positions.clone()];
        };
        let mut at: Vec<usize> = positions
            .clone()
            .filter_map(|i| map.get(i).copied())
            .collect();
        at.sort_unstable();
        let mut ranges: Vec<Range<usize>> = Vec::new();
        for i in at {
            match ranges.last_mut() {
                Some(last) if last.end == i => last.end = i + 1,
                _ => ranges.push(i..i + 1),
            }
        }
        ranges
    }

    /// The answer can list a failed chunk in its `errors`.
    fn lists_failures(&self) -> bool {
        !matches!(self.merge, BatchMerge::AllOrError { .. })
    }

    /// Adds chunk number `chunk` (from 0); `label` names it in messages.
    fn add_chunk(&mut self, chunk: usize, outcome: ChunkOutcome, label: &str) {
        self.inputs = self.inputs.max(outcome.positions.end);
        let error = match outcome.answer.and_then(|answer| self.add_answer(&answer)) {
            Ok(()) => {
                match self.done.last_mut() {
                    Some(last) if last.end == outcome.positions.start => {
                        last.end = outcome.positions.end
                    }
                    _ => self.done.push(outcome.positions),
                }
                return;
            }
            Err(error) => error,
        };
        if self.lists_failures() {
            let ids: Vec<Value> = outcome
                .inputs
                .iter()
                .filter_map(|input| input.get("id").or_else(|| input.pointer("/from/id")))
                .map(|id| match id {
                    Value::String(id) => Value::String(id.clone()),
                    other => Value::String(other.to_string()),
                })
                .collect();
            let positions: Vec<String> = self
                .in_call(&outcome.positions)
                .iter()
                .map(|r| format!("{}..{}", r.start, r.end))
                .collect();
            // `context` values are lists of strings, as HubSpot's own
            // `StandardError.context` is typed, so the entry still decodes.
            let (category, outcome, message) = if error.may_have_been_processed() {
                (
                    CHUNK_OUTCOME_UNKNOWN,
                    "unknown",
                    format!(
                        "{label} {} of {} failed (outcome unknown: HubSpot may have carried them out): {error}",
                        chunk + 1,
                        self.chunks
                    ),
                )
            } else {
                (
                    CHUNK_FAILED,
                    "not_done",
                    format!("{label} {} of {} failed: {error}", chunk + 1, self.chunks),
                )
            };
            self.has_errors = true;
            self.errors.push(serde_json::json!({
                "status": "error",
                "category": category,
                "message": message,
                "context": {
                    "ids": ids,
                    "inputs": positions,
                    "outcome": [outcome],
                },
                "errors": [],
                "links": {},
            }));
            *self.num_errors.get_or_insert(0) += 1;
        }
        let in_call = self.in_call(&outcome.positions);
        let inputs = match (in_call.first(), in_call.last()) {
            // A follow-up chunk's inputs need not be adjacent in the call:
            // the range spans them (the `errors` entry lists them exactly).
            (Some(first), Some(last)) => first.start..last.end,
            _ => outcome.positions,
        };
        self.failed.push(ChunkFailure {
            chunk: chunk + 1,
            inputs,
            error: Box::new(error),
        });
    }

    /// Merges one chunk's successful answer; an answer that cannot be read
    /// fails the chunk.
    fn add_answer(&mut self, response: &Response) -> Result<(), Error> {
        if response.status() == 207 {
            self.partial = true;
        }
        if let BatchMerge::AllOrError { json: false, .. } = self.merge {
            return Ok(());
        }
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

    /// `(from.id, after)` of every result that has another page. The cursor
    /// stays on the result until a follow-up page answers for it, so a
    /// result whose follow-up failed (or repeated its cursor) can be resumed.
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
            cursors.push((id, after));
        }
        cursors
    }

    /// Appends a follow-up page's associations to the results they continue.
    fn absorb_page(&mut self, mut page: Merged) -> Result<(), Error> {
        if !page.failed.is_empty() && !page.lists_failures() {
            page.done.clear();
            return Err(page.into_error());
        }
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
            // The follow-up answered for this input: its cursor replaces the
            // one it continued, or there are no more pages.
            match result.pointer("/paging/next").cloned() {
                Some(next) => {
                    if let Some(paging) = target.get_mut("paging").and_then(Value::as_object_mut) {
                        paging.insert("next".into(), next);
                    } else if let Some(object) = target.as_object_mut() {
                        object.insert("paging".into(), serde_json::json!({ "next": next }));
                    }
                }
                None => {
                    if let Some(paging) = target.get_mut("paging").and_then(Value::as_object_mut) {
                        paging.remove("next");
                    }
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
        self.partial |= page.partial;
        // A failed follow-up chunk makes the answer partial (it is in `errors`).
        self.failed.extend(page.failed);
        Ok(())
    }

    /// The client's error for a call that cannot be answered as a whole.
    fn into_error(mut self) -> Error {
        if self.chunks == 1 && self.failed.len() == 1 {
            // Not split: HubSpot's own answer, as an unsplit call gives it.
            if let Some(only) = self.failed.pop() {
                return *only.error;
            }
        }
        Error::Batch {
            operation: self.operation,
            chunks: self.chunks,
            inputs: self.inputs,
            done: self.done,
            failed: self.failed,
        }
    }

    /// One answer with a status the document lists, or the client's error.
    fn finish(self) -> Result<Response, Error> {
        let nothing_done = self.done.is_empty() && !self.failed.is_empty();
        if nothing_done || (!self.failed.is_empty() && !self.lists_failures()) {
            return Err(self.into_error());
        }
        let (status, json) = match self.merge {
            BatchMerge::MultiStatus { ok } => {
                let partial = self.partial || !self.failed.is_empty();
                (if partial { 207 } else { ok }, true)
            }
            BatchMerge::ErrorsList { ok } => (ok, true),
            BatchMerge::AllOrError { ok, json } => (ok, json),
        };
        if !json {
            return Ok(Response::new(self.operation, status, Vec::new()));
        }
        let mut body = self.body.unwrap_or_default();
        body.insert("results".into(), Value::Array(self.results));
        if self.has_errors {
            body.insert("errors".into(), Value::Array(self.errors));
        }
        if let Some(n) = self.num_errors {
            body.insert("numErrors".into(), Value::from(n));
        }
        let bytes = serde_json::to_vec(&Value::Object(body)).unwrap_or_default();
        Ok(Response::new(self.operation, status, bytes))
    }
}
