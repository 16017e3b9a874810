//! Fault injection: hundreds of concurrent calls, creating POSTs that must
//! never be carried out twice and batch reads that are retried, against a
//! raw HTTP/1.1 server on 127.0.0.1 that, at random per request, answers
//! correctly, cuts the connection before or after carrying it out, stalls
//! past the client's timeout (having carried the request out or not),
//! answers 5xx (after carrying it out or not) or 429 (with and without
//! `Retry-After`), or sends half a body, a 2xx gzip body with a bad
//! checksum or a 2xx body that is not JSON.
//!
//! The server records what it carried out, per id (every input's `from.id`
//! and every label's name are unique), and the test checks each call's
//! answer against it: nothing carried out twice, no success claimed for
//! what was not carried out, no "never sent" (or otherwise "surely not
//! done") error for what was, and every failed chunk of a split batch
//! listed as not done only where it was not. The client has the default
//! settings (retries on, the limiter at 100 per 10 s); the clock is tokio's
//! paused one, so the 30 s timeouts and limiter windows cost no real time.
//!
//! It also records the ids each request carried, carried out or not: no
//! "never sent" error may name one the server received. Calls whose ids are
//! always refused with 429 must say "surely not done", and every call must
//! end within a bound computed from the client's default settings.
//!
//! The seed is printed; `FAULT_SEED=<n>` repeats a run: each request's fault
//! is a hash of the seed, its first id and that id's attempt number, so it
//! does not depend on the order requests arrive in.

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hubspot_associations::AssociationsExt as _;
use hubspot_associations::{Client, Error};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// splitmix64's finaliser: a well-mixed hash of one word.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A number for (seed, a request's first id, the attempt of that id), so
/// the same seed deals every request the same fault whatever the order
/// requests arrive in.
fn dice(seed: u64, first_id: &str, attempt: usize) -> u64 {
    let mut h = mix(seed);
    for byte in first_id.bytes() {
        h = mix(h ^ u64::from(byte));
    }
    mix(h ^ attempt as u64)
}

/// What the server does with one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Fault {
    Answer,
    /// Reads the body, then resets the connection without carrying it out.
    CutBeforeCarryingOut,
    CutAfterCarryingOut,
    StallBefore,
    StallAfter,
    ServerErrorBefore,
    ServerErrorAfter,
    TooManyWithRetryAfter,
    TooManyWithout,
    HalfBody,
    /// A 2xx whose gzip body fails its checksum (carried out).
    DamagedGzip,
    /// A 2xx whose body is not JSON (carried out).
    BadJson,
}

impl Fault {
    /// Half the requests are answered; the other half meet one fault each.
    fn pick(dice: u64) -> Fault {
        const FAULTS: [Fault; 11] = [
            Fault::CutBeforeCarryingOut,
            Fault::CutAfterCarryingOut,
            Fault::StallBefore,
            Fault::StallAfter,
            Fault::ServerErrorBefore,
            Fault::ServerErrorAfter,
            Fault::TooManyWithRetryAfter,
            Fault::TooManyWithout,
            Fault::HalfBody,
            Fault::DamagedGzip,
            Fault::BadJson,
        ];
        if dice.is_multiple_of(2) {
            Fault::Answer
        } else {
            FAULTS[(dice / 2 % FAULTS.len() as u64) as usize]
        }
    }

    /// Whether the server carries the request out before the fault.
    fn carries_out(self) -> bool {
        matches!(
            self,
            Fault::Answer
                | Fault::CutAfterCarryingOut
                | Fault::StallAfter
                | Fault::ServerErrorAfter
                | Fault::HalfBody
                | Fault::DamagedGzip
                | Fault::BadJson
        )
    }
}

#[derive(Default)]
struct Record {
    /// Times each id was carried out (a write) or served (a read).
    carried: HashMap<String, usize>,
    /// Times each id's bytes reached the server, carried out or not.
    received: HashMap<String, usize>,
    /// Requests per first id: the attempt number that picks a fault.
    attempts: HashMap<String, usize>,
    faults: BTreeMap<String, usize>,
    requests: usize,
}

struct Server {
    addr: SocketAddr,
    record: Arc<Mutex<Record>>,
}

impl Server {
    async fn start(seed: u64) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let record = Arc::new(Mutex::new(Record::default()));
        let shared = record.clone();
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                tokio::spawn(serve(stream, seed, shared.clone()));
            }
        });
        Server { addr, record }
    }
}

/// One connection: requests one after another (keep-alive) until a fault
/// ends it.
async fn serve(stream: TcpStream, seed: u64, record: Arc<Mutex<Record>>) {
    let mut stream = BufReader::new(stream);
    loop {
        let Some((path, length)) = read_head(&mut stream).await else {
            return;
        };
        let mut body = vec![0; length];
        if stream.read_exact(&mut body).await.is_err() {
            return;
        }
        let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        let ids = ids(&path, &body);
        let first = ids.first().cloned().unwrap_or_default();
        let fault = {
            let mut record = record.lock().unwrap();
            for id in &ids {
                *record.received.entry(id.clone()).or_default() += 1;
            }
            let attempt = record.attempts.entry(first.clone()).or_default();
            *attempt += 1;
            // Ids named `limited-…` are always refused: the "surely not
            // done" side of every answer is exercised.
            let fault = if first.starts_with("limited") {
                Fault::TooManyWithout
            } else if first.starts_with("cut") {
                // Always reset after arriving: the call's last error is that
                // reset, which must not read as "never sent".
                Fault::CutBeforeCarryingOut
            } else {
                Fault::pick(dice(seed, &first, *attempt))
            };
            record.requests += 1;
            *record.faults.entry(format!("{fault:?}")).or_default() += 1;
            fault
        };
        match fault {
            Fault::CutBeforeCarryingOut => {
                // A reset (RST), as a crashed HubSpot front end gives, after
                // the whole request arrived: it must not read as "never sent".
                let _ = stream.get_ref().set_zero_linger();
                return;
            }
            Fault::StallBefore => {
                // Past the client's 30 s, then gone without carrying it out.
                tokio::time::sleep(Duration::from_secs(45)).await;
                return;
            }
            _ => {}
        }
        let (ok, answer) = answer(&path, &body);
        if fault.carries_out() {
            let mut record = record.lock().unwrap();
            for id in ids {
                *record.carried.entry(id).or_default() += 1;
            }
        }
        let error = |status: u16, extra: &str, body: Value| {
            let body = body.to_string();
            format!(
                "HTTP/1.1 {status} Fault\r\ncontent-type: application/json\r\n{extra}content-length: {}\r\n\r\n{body}",
                body.len()
            )
        };
        let text = answer.to_string();
        let out = match fault {
            Fault::Answer => format!(
                "HTTP/1.1 {ok} Answer\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{text}",
                text.len()
            ),
            Fault::CutAfterCarryingOut => return,
            Fault::StallAfter => {
                tokio::time::sleep(Duration::from_secs(45)).await;
                return;
            }
            Fault::ServerErrorBefore | Fault::ServerErrorAfter => error(
                503,
                "",
                json!({"status": "error", "message": "unavailable"}),
            ),
            Fault::TooManyWithRetryAfter | Fault::TooManyWithout => {
                let retry_after = if fault == Fault::TooManyWithRetryAfter {
                    "retry-after: 2\r\n"
                } else {
                    ""
                };
                error(
                    429,
                    retry_after,
                    json!({"status": "error", "message": "You have reached your ten_secondly_rolling limit.",
                        "errorType": "RATE_LIMIT", "policyName": "TEN_SECONDLY_ROLLING"}),
                )
            }
            Fault::HalfBody => {
                let head = format!(
                    "HTTP/1.1 {ok} Answer\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                    text.len()
                );
                let _ = stream.get_mut().write_all(head.as_bytes()).await;
                let _ = stream
                    .get_mut()
                    .write_all(&text.as_bytes()[..text.len() / 2])
                    .await;
                return;
            }
            Fault::DamagedGzip => {
                let mut gzip =
                    flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
                std::io::Write::write_all(&mut gzip, text.as_bytes()).unwrap();
                let mut gzip = gzip.finish().unwrap();
                // The CRC-32 of the trailer no longer matches.
                let crc = gzip.len() - 8;
                gzip[crc] ^= 0xFF;
                let head = format!(
                    "HTTP/1.1 {ok} Answer\r\ncontent-type: application/json\r\ncontent-encoding: gzip\r\ncontent-length: {}\r\n\r\n",
                    gzip.len()
                );
                let mut out = head.into_bytes();
                out.extend_from_slice(&gzip);
                if stream.get_mut().write_all(&out).await.is_err() {
                    return;
                }
                continue;
            }
            Fault::BadJson => {
                let text = &text[..text.len() / 2];
                format!(
                    "HTTP/1.1 {ok} Answer\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{text}",
                    text.len()
                )
            }
            Fault::CutBeforeCarryingOut | Fault::StallBefore => unreachable!("handled above"),
        };
        if stream.get_mut().write_all(out.as_bytes()).await.is_err() {
            return;
        }
    }
}

/// The request line's path and the body's length; `None` at the end.
async fn read_head(stream: &mut BufReader<TcpStream>) -> Option<(String, usize)> {
    let mut line = String::new();
    if stream.read_line(&mut line).await.ok()? == 0 {
        return None;
    }
    let path = line.split_whitespace().nth(1)?.to_owned();
    let mut length = 0;
    loop {
        let mut header = String::new();
        if stream.read_line(&mut header).await.ok()? == 0 {
            return None;
        }
        let header = header.trim_end();
        if header.is_empty() {
            return Some((path, length));
        }
        if let Some((name, value)) = header.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().ok()?;
        }
    }
}

/// The ids a request carries: each input's `from.id` (batch create),
/// `id` (batch read), or the label's name.
fn ids(path: &str, body: &Value) -> Vec<String> {
    if path.ends_with("/labels") {
        return vec![body["name"].as_str().unwrap_or_default().to_owned()];
    }
    body["inputs"]
        .as_array()
        .map(|inputs| {
            inputs
                .iter()
                .filter_map(|input| {
                    input
                        .pointer("/from/id")
                        .or_else(|| input.get("id"))
                        .and_then(Value::as_str)
                        .map(str::to_owned)
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The correct answer: its status and body, as HubSpot's v4 shapes them.
fn answer(path: &str, body: &Value) -> (u16, Value) {
    let times = json!({"startedAt": "2026-03-04T10:15:30Z", "completedAt": "2026-03-04T10:15:31Z"});
    let mut answer = if path.ends_with("/batch/create") {
        let results: Vec<Value> = ids(path, body)
            .into_iter()
            .map(|id| {
                json!({"fromObjectTypeId": "0-1", "fromObjectId": id,
                    "toObjectTypeId": "0-2", "toObjectId": "9", "labels": []})
            })
            .collect();
        (201, json!({"status": "COMPLETE", "results": results}))
    } else if path.ends_with("/batch/read") {
        let results: Vec<Value> = ids(path, body)
            .into_iter()
            .map(|id| {
                json!({"from": {"id": id}, "to": [{"toObjectId": "9",
                    "associationTypes": [{"category": "HUBSPOT_DEFINED", "typeId": 1, "label": null}]}]})
            })
            .collect();
        (200, json!({"status": "COMPLETE", "results": results}))
    } else {
        return (
            200,
            json!({"results": [{"category": "USER_DEFINED", "typeId": 1000, "label": body["label"]}]}),
        );
    };
    if let (Value::Object(answer), Value::Object(times)) = (&mut answer.1, times) {
        answer.extend(times);
    }
    answer
}

/// What a call's answer says became of one id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Claim {
    Succeeded,
    /// Surely not carried out (never sent, or refused).
    NotDone,
    /// May have been carried out.
    Unknown,
}

fn claim_of(error: &Error) -> Claim {
    if error.may_have_been_processed() {
        Claim::Unknown
    } else {
        Claim::NotDone
    }
}

fn kind_of(error: &Error) -> String {
    match error {
        Error::Timeout { .. } => "Timeout".into(),
        Error::Connection { source, .. } => format!("Connection({:?})", source.kind()),
        Error::Api { status, .. } => format!("Api({status})"),
        Error::RateLimited { .. } => "RateLimited".into(),
        Error::Batch { .. } => "Batch".into(),
        Error::Decode { status, .. } => format!("Decode({status})"),
        other => format!("{other:?}").chars().take(40).collect(),
    }
}

/// One call's claims per id, and how it ended.
struct Outcome {
    claims: Vec<(String, Claim)>,
    ended: String,
    /// A read: its ids may be served more than once.
    read: bool,
    /// What the answer got wrong in itself (an entry's outcome that
    /// contradicts its category, an input not named).
    notes: Vec<String>,
    /// Ids an error says were never sent (a `Connect` connection error).
    never_sent: Vec<String>,
    /// How long the call took on the (paused) clock.
    took: Duration,
}

fn never_sent(error: &Error) -> bool {
    matches!(error, Error::Connection { source, .. } if source.never_sent())
}

fn create_inputs(prefix: &str, call: usize, n: usize) -> Value {
    let inputs: Vec<Value> = (0..n)
        .map(|i| {
            json!({"from": {"id": format!("{prefix}{call}-{i}")}, "to": {"id": "9"},
                "types": [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 1}]})
        })
        .collect();
    json!({ "inputs": inputs })
}

async fn batch_create(client: Client, call: usize, n: usize, prefix: &str) -> Outcome {
    use hubspot_associations::v4::associations::BatchCreateResponse;
    let inputs = create_inputs(prefix, call, n);
    let all: Vec<String> = (0..n).map(|i| format!("{prefix}{call}-{i}")).collect();
    let mut never_sent_ids = Vec::new();
    let body = serde_json::from_value(inputs).unwrap();
    let answer = client
        .associations()
        .v4()
        .batch_create("contacts", "companies", &body)
        .await;
    let mut claims = Vec::new();
    let mut notes = Vec::new();
    let ended = match answer {
        Ok(BatchCreateResponse::Created(all_done)) => {
            for result in &all_done.results {
                claims.push((result.from_object_id.clone(), Claim::Succeeded));
            }
            "Ok(201)".to_owned()
        }
        Ok(BatchCreateResponse::MultiStatus(partial)) => {
            for result in &partial.results {
                claims.push((result.from_object_id.clone(), Claim::Succeeded));
            }
            for entry in partial.errors.iter().flatten() {
                let claim = match entry.category.as_deref().unwrap_or_default() {
                    "CLIENT_CHUNK_FAILED" => Claim::NotDone,
                    "CLIENT_CHUNK_OUTCOME_UNKNOWN" => Claim::Unknown,
                    other => panic!("an errors entry HubSpot never sent here: {other}"),
                };
                let expected = if claim == Claim::NotDone {
                    "not_done"
                } else {
                    "unknown"
                };
                let outcome = entry.context.get("outcome");
                if outcome.is_none_or(|outcome| outcome != &[expected]) {
                    notes.push(format!(
                        "call {call}: category {:?} with context.outcome {outcome:?}",
                        entry.category
                    ));
                }
                for id in entry.context.get("ids").into_iter().flatten() {
                    claims.push((id.clone(), claim));
                }
            }
            "Ok(207)".to_owned()
        }
        Err(Error::Batch {
            ref done,
            ref failed,
            ..
        }) => {
            for range in done {
                for at in range.clone() {
                    claims.push((all[at].clone(), Claim::Succeeded));
                }
            }
            for failure in failed {
                let claim = if failure.outcome_unknown() {
                    Claim::Unknown
                } else {
                    Claim::NotDone
                };
                for at in failure.inputs.clone() {
                    claims.push((all[at].clone(), claim));
                    if never_sent(&failure.error) {
                        never_sent_ids.push(all[at].clone());
                    }
                }
            }
            "Batch".to_owned()
        }
        Err(error) => {
            let claim = claim_of(&error);
            for id in &all {
                claims.push((id.clone(), claim));
            }
            if never_sent(&error) {
                never_sent_ids.extend(all.iter().cloned());
            }
            kind_of(&error)
        }
    };
    // Every input is accounted for, once: nothing dropped or doubled.
    let mut named: Vec<&String> = claims.iter().map(|(id, _)| id).collect();
    named.sort();
    let mut expected: Vec<&String> = all.iter().collect();
    expected.sort();
    if named != expected {
        notes.push(format!(
            "call {call} ({ended}) names {} inputs of {n}",
            named.len()
        ));
    }
    Outcome {
        claims,
        ended,
        read: false,
        notes,
        never_sent: never_sent_ids,
        took: Duration::ZERO,
    }
}

async fn create_label(client: Client, call: usize, prefix: &str) -> Outcome {
    use hubspot_associations::v4::associations_schema::PublicAssociationDefinitionCreateRequest;
    let name = format!("{prefix}-{call}");
    let mut never_sent_ids = Vec::new();
    let body = PublicAssociationDefinitionCreateRequest::new(format!("Label {call}"), &name);
    let answer = client
        .associations()
        .v4()
        .create_label("contacts", "companies", &body)
        .await;
    let (claim, ended) = match answer {
        Ok(created) => {
            assert_eq!(
                created.results[0].label.as_deref(),
                Some(format!("Label {call}").as_str())
            );
            (Claim::Succeeded, "Ok(200)".to_owned())
        }
        Err(error) => {
            if never_sent(&error) {
                never_sent_ids.push(name.clone());
            }
            (claim_of(&error), kind_of(&error))
        }
    };
    Outcome {
        claims: vec![(name, claim)],
        ended,
        read: false,
        notes: Vec::new(),
        never_sent: never_sent_ids,
        took: Duration::ZERO,
    }
}

async fn batch_read(client: Client, call: usize) -> Outcome {
    use hubspot_associations::v4::associations::BatchReadResponse;
    let all: Vec<String> = (0..5).map(|i| format!("r{call}-{i}")).collect();
    let mut never_sent_ids = Vec::new();
    let body = serde_json::from_value(json!({
        "inputs": all.iter().map(|id| json!({"id": id})).collect::<Vec<_>>()
    }))
    .unwrap();
    let answer = client
        .associations()
        .v4()
        .batch_read("contacts", "companies", &body)
        .await;
    let (claims, ended) = match answer {
        Ok(BatchReadResponse::Ok(page)) => {
            let got: Vec<String> = page.results.iter().map(|r| r.from.id.clone()).collect();
            assert_eq!(got, all, "a read answers for its own inputs");
            let claims = got.into_iter().map(|id| (id, Claim::Succeeded)).collect();
            (claims, "Ok(200)".to_owned())
        }
        Ok(other) => panic!("the server never answers a read 207: {other:?}"),
        Err(error) => {
            if never_sent(&error) {
                never_sent_ids.extend(all.iter().cloned());
            }
            (Vec::new(), kind_of(&error))
        }
    };
    Outcome {
        claims,
        ended,
        read: true,
        notes: Vec::new(),
        never_sent: never_sent_ids,
        took: Duration::ZERO,
    }
}

#[tokio::test(start_paused = true)]
async fn under_faults_nothing_is_done_twice_and_every_answer_tells_the_truth() {
    let seed = std::env::var("FAULT_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or(21)
        });
    println!("fault injection seed {seed} (FAULT_SEED={seed} to repeat)");
    let server = Server::start(seed).await;
    // The defaults users get: retries and the limiter on.
    let client = Client::builder("pat-na1-test-token")
        .base_url(format!("http://{}", server.addr))
        .build()
        .unwrap();

    let mut calls: Vec<tokio::task::JoinHandle<Outcome>> = Vec::new();
    for call in 0..407 {
        let client = client.clone();
        calls.push(tokio::spawn(async move {
            let started = tokio::time::Instant::now();
            let mut outcome = match call {
                // Always refused with a 429 (see `serve`): a split batch
                // create and labels, all surely not done.
                400 => batch_create(client, call, 250, "limited-c").await,
                401..=403 => create_label(client, call, "limited").await,
                // Always reset after the request arrived (see `serve`).
                404.. => create_label(client, call, "cut").await,
                // A split batch create: 3 chunks of 100, 100, 50.
                _ if call % 8 == 0 => batch_create(client, call, 250, "c").await,
                _ if call % 8 <= 3 => batch_create(client, call, 3, "c").await,
                _ if call % 8 <= 5 => create_label(client, call, "label").await,
                _ => batch_read(client, call).await,
            };
            outcome.took = started.elapsed();
            outcome
        }));
    }
    let mut outcomes = Vec::new();
    for call in calls {
        outcomes.push(call.await.expect("a call panicked"));
    }

    let record = server.record.lock().unwrap();
    let mut ended: BTreeMap<String, usize> = BTreeMap::new();
    let mut claimed: BTreeMap<String, usize> = BTreeMap::new();
    let mut problems = Vec::new();
    // The longest a call may take with the default settings, each attempt
    // bounded by the 30 s timeout: 3 attempts (`max_retries` 2) of 30 s,
    // 2 backoffs of at most `max_delay` 10 s, a `Retry-After` of at most
    // `max_retry_after` 60 s before each retry, plus the limiter's queue:
    // every request of the run passing 100 per 10 s window (the calls all
    // start at once), and one window more.
    let limiter_queue = Duration::from_secs(10) * (record.requests.div_ceil(100) as u32 + 1);
    let bound = Duration::from_secs(3 * 30 + 2 * 10 + 2 * 60) + limiter_queue;
    let slowest = outcomes.iter().map(|o| o.took).max().unwrap_or_default();
    for (call, outcome) in outcomes.iter().enumerate() {
        *ended.entry(outcome.ended.clone()).or_default() += 1;
        problems.extend(outcome.notes.iter().cloned());
        if outcome.took > bound {
            problems.push(format!(
                "call {call} ({}) took {:?}, over the bound {bound:?}",
                outcome.ended, outcome.took
            ));
        }
        for id in &outcome.never_sent {
            let received = record.received.get(id).copied().unwrap_or(0);
            if received > 0 {
                problems.push(format!(
                    "{id}: reported never sent ({}), the server received it {received} times",
                    outcome.ended
                ));
            }
        }
        if call >= 404 && outcome.ended != "Connection(Interrupted)" {
            problems.push(format!(
                "call {call}: always reset after arriving, ended {}",
                outcome.ended
            ));
        }
        if outcome.ended == "RateLimited" || (400..=403).contains(&call) {
            // Refused with 429 (calls 400 to 403 always are): every id
            // surely not done.
            if (401..=403).contains(&call) && outcome.ended != "RateLimited" {
                problems.push(format!("call {call}: always 429, ended {}", outcome.ended));
            }
            for (id, claim) in &outcome.claims {
                if *claim != Claim::NotDone {
                    problems.push(format!(
                        "{id}: refused with 429, claimed {claim:?} ({})",
                        outcome.ended
                    ));
                }
            }
        }
        for (id, claim) in &outcome.claims {
            *claimed.entry(format!("{claim:?}")).or_default() += 1;
            let carried = record.carried.get(id).copied().unwrap_or(0);
            if outcome.read {
                // Reads may be served more than once; a success needs one.
                if carried == 0 {
                    problems.push(format!("{id}: read claimed but never served"));
                }
                continue;
            }
            match claim {
                Claim::Succeeded if carried != 1 => problems.push(format!(
                    "{id}: success claimed, carried out {carried} times ({})",
                    outcome.ended
                )),
                Claim::NotDone if carried != 0 => problems.push(format!(
                    "{id}: reported surely not done, carried out {carried} times ({})",
                    outcome.ended
                )),
                _ => {}
            }
        }
    }
    let writes_twice: Vec<(&String, &usize)> = record
        .carried
        .iter()
        .filter(|(id, n)| !id.starts_with('r') && **n > 1)
        .collect();
    for (id, n) in &writes_twice {
        problems.push(format!("{id}: a write carried out {n} times"));
    }
    let carried_writes = record
        .carried
        .iter()
        .filter(|(id, _)| !id.starts_with('r'))
        .count();
    println!(
        "requests {}; faults {:?}; writes carried out {carried_writes}; claims per id {claimed:?}; calls ended {ended:?}; slowest call {slowest:?} (bound {bound:?})",
        record.requests, record.faults
    );
    assert!(
        problems.is_empty(),
        "seed {seed}: {} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    // The mix really was faulty, and something still got through.
    assert!(record.faults.len() >= 10, "{:?}", record.faults);
    assert!(claimed.get("Succeeded").copied().unwrap_or(0) > 100);
    // Both sides of the truth were told: refusals reached callers as such.
    assert!(
        claimed.get("NotDone").copied().unwrap_or(0) > 0,
        "{claimed:?}"
    );
}
