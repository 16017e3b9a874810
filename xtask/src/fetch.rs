//! The `fetch-specs` command: downloads the published documents listed in
//! `specs/versions.toml`, checks them (each parses as OpenAPI 3.0, and the
//! whole specs folder with them generates), and only then replaces the files
//! in `specs/`, each by a rename. Any failure leaves `specs/` byte-for-byte
//! as it was.
//!
//! With `--discover` it changes nothing: it reads the file tree of the
//! repository HubSpot publishes the documents in (GitHub's API), and reports
//! the documents of the APIs named in `discover` that `versions.toml` does
//! not list yet, each downloaded and summarised (version, operations).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};
use generator::project::{self, Options};
use serde::Deserialize;

use crate::{user_path, workspace_root};

/// The configuration file, at the top of the specs folder.
pub const CONFIG_FILE: &str = "versions.toml";
/// A published document is a few hundred KiB; refuse anything absurd.
const MAX_BYTES: u64 = 64 << 20;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Config {
    /// What `{base}` in a document URL stands for.
    base_url: String,
    /// The repository's recursive file tree (GitHub's git trees API), for `--discover`.
    #[serde(default)]
    listing_url: Option<String>,
    /// Path prefixes in the repository of the APIs `--discover` looks at.
    #[serde(default)]
    discover: Vec<String>,
    #[serde(rename = "document", default)]
    documents: Vec<Source>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Source {
    /// Version folder under specs/, e.g. `2026-03`.
    version: String,
    /// File stem, e.g. `associations-schema`.
    name: String,
    /// May contain `{base}`; spaces stand for themselves (they are
    /// percent-encoded when fetched), as in the repository's folder names.
    url: String,
}

impl Source {
    /// `2026-03/associations.json`, relative to the specs folder.
    fn relative(&self) -> String {
        format!("{}/{}.json", self.version, self.name)
    }
}

pub struct Args {
    base_url: Option<String>,
    listing_url: Option<String>,
    config: Option<PathBuf>,
    specs: PathBuf,
    discover: bool,
}

impl Args {
    pub fn parse(mut args: impl Iterator<Item = String>) -> Result<Self> {
        let mut parsed = Args {
            base_url: None,
            listing_url: None,
            config: None,
            specs: workspace_root().join("specs"),
            discover: false,
        };
        while let Some(arg) = args.next() {
            if arg == "--discover" {
                parsed.discover = true;
                continue;
            }
            let Some(value) = args.next().filter(|_| arg.starts_with("--")) else {
                bail!("fetch-specs: unknown argument `{arg}`")
            };
            match arg.as_str() {
                "--base-url" => parsed.base_url = Some(value),
                "--listing-url" => parsed.listing_url = Some(value),
                "--config" => parsed.config = Some(user_path(&value)?),
                "--specs" => parsed.specs = user_path(&value)?,
                other => bail!("fetch-specs: unknown argument `{other}`"),
            }
        }
        Ok(parsed)
    }
}

/// One downloaded document.
struct Fetched {
    source: Source,
    url: String,
    text: String,
    /// The file as it is in specs/ now (`None`: not there yet).
    current: Option<Vec<u8>>,
}

impl Fetched {
    fn changed(&self) -> bool {
        self.current.as_deref() != Some(self.text.as_bytes())
    }
}

pub fn run(args: Args) -> Result<ExitCode> {
    let config_path = args
        .config
        .clone()
        .unwrap_or_else(|| args.specs.join(CONFIG_FILE));
    let config = load_config(&config_path)?;
    let base = args.base_url.as_deref().unwrap_or(&config.base_url);
    let base = base.trim_end_matches('/');
    let agent = agent();
    if args.discover {
        let listing = args
            .listing_url
            .as_deref()
            .or(config.listing_url.as_deref())
            .ok_or_else(|| anyhow!("{}: no `listing_url` for --discover", config_path.display()))?;
        let found = discover(&agent, &config, listing, base)?;
        print!("{}", discovery_report(&found));
        return Ok(ExitCode::SUCCESS);
    }

    let total = config.documents.len();
    let mut fetched = Vec::with_capacity(total);
    for (i, source) in config.documents.iter().enumerate() {
        let relative = source.relative();
        let url = source_url(&source.url, base);
        let text = download(&agent, &url)
            .map_err(|e| anyhow!("cannot fetch {relative} from {url}: {e}"))?;
        // Each document on its own first: a clear message for a bad one.
        generator::load::load_str(Path::new(&relative), &text)
            .map_err(|e| rejected(&relative, &url, &e.to_string()))?;
        let current = std::fs::read(args.specs.join(&relative)).ok();
        let item = Fetched {
            source: source.clone(),
            url,
            text,
            current,
        };
        let state = match (&item.current, item.changed()) {
            (None, _) => "new",
            (_, true) => "changed",
            (_, false) => "unchanged",
        };
        println!(
            "[{}/{total}] {relative}: {} bytes from {} ({state})",
            i + 1,
            item.text.len(),
            item.url
        );
        fetched.push(item);
    }

    check_generates(&args.specs, &fetched)?;
    println!("checked: specs/ with the fetched documents generates the crate");

    let changed: Vec<&Fetched> = fetched.iter().filter(|f| f.changed()).collect();
    replace(&args.specs, &changed)?;
    println!(
        "{}: {} file(s) replaced, {} unchanged",
        args.specs.display(),
        changed.len(),
        fetched.len() - changed.len()
    );
    if !changed.is_empty() {
        println!("next: `cargo xtask codegen`, then review with `cargo xtask diff <old> <new>`");
    }
    Ok(ExitCode::SUCCESS)
}

fn load_config(path: &Path) -> Result<Config> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let config: Config =
        toml::from_str(&text).map_err(|e| anyhow!("{}: {}", path.display(), e.message()))?;
    let mut seen = std::collections::BTreeSet::new();
    for source in &config.documents {
        for part in [&source.version, &source.name] {
            let plain = !part.is_empty()
                && !part.starts_with('.')
                && part
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
            if !plain {
                bail!(
                    "{}: `{part}` is not a plain folder or file name",
                    path.display()
                );
            }
        }
        if !seen.insert(source.relative()) {
            bail!("{}: {} is listed twice", path.display(), source.relative());
        }
    }
    if config.documents.is_empty() {
        bail!("{}: no [[document]] entries", path.display());
    }
    Ok(config)
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_connect(Some(Duration::from_secs(20)))
        .timeout_global(Some(Duration::from_secs(120)))
        .http_status_as_error(false)
        .user_agent("hubspot-associations-codegen (cargo xtask fetch-specs)")
        .build()
        .into()
}

/// The URL to fetch: `{base}` replaced, and the characters the repository's
/// folder names use that a URL cannot carry as they are percent-encoded.
fn source_url(template: &str, base: &str) -> String {
    let url = template.replace("{base}", base);
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '"' => out.push_str("%22"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '`' => out.push_str("%60"),
            c if c.is_ascii() && !c.is_ascii_control() => out.push(c),
            c => {
                let mut bytes = [0; 4];
                for b in c.encode_utf8(&mut bytes).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
        }
    }
    out
}

/// A published document `versions.toml` does not list.
#[derive(Debug, Clone, PartialEq)]
struct Discovered {
    /// Path in the repository.
    path: String,
    /// The version folder (`2026-09-beta`).
    version: String,
    /// versions.toml lists other documents of this version (e.g. from
    /// another rollout of it).
    version_listed: bool,
    /// What the downloaded document says, or why it could not be read.
    summary: Result<DocumentSummary, String>,
}

#[derive(Debug, Clone, PartialEq)]
struct DocumentSummary {
    title: String,
    info_version: String,
    operations: usize,
}

/// The documents under the `discover` prefixes of the repository listing at
/// `listing` that no `[[document]]` lists, each fetched from `base`.
fn discover(
    agent: &ureq::Agent,
    config: &Config,
    listing: &str,
    base: &str,
) -> Result<Vec<Discovered>> {
    if config.discover.is_empty() {
        bail!("versions.toml: no `discover` prefixes");
    }
    let text = download(agent, listing).map_err(|e| anyhow!("cannot list {listing}: {e}"))?;
    #[derive(Deserialize)]
    struct Tree {
        tree: Vec<Entry>,
        #[serde(default)]
        truncated: bool,
    }
    #[derive(Deserialize)]
    struct Entry {
        path: String,
        #[serde(rename = "type")]
        kind: String,
    }
    let tree: Tree = serde_json::from_str(&text)
        .map_err(|e| anyhow!("{listing}: not a git tree listing: {e}"))?;
    if tree.truncated {
        bail!("{listing}: GitHub truncated the listing; documents may be missing");
    }
    let listed: std::collections::BTreeSet<&str> = config
        .documents
        .iter()
        .filter_map(|d| d.url.strip_prefix("{base}/"))
        .collect();
    let mut found = Vec::new();
    for entry in tree.tree.iter().filter(|e| e.kind == "blob") {
        let Some(version) = published_document_version(&config.discover, &entry.path) else {
            continue;
        };
        if listed.contains(entry.path.as_str()) {
            continue;
        }
        let url = source_url(&format!("{{base}}/{}", entry.path), base);
        let text = download(agent, &url);
        // HubSpot keeps Postman collections beside some documents: JSON, but
        // not OpenAPI, and not what this looks for.
        if let Ok(text) = &text {
            let value: Option<serde_json::Value> = serde_json::from_str(text).ok();
            if value.is_some_and(|v| v.get("openapi").is_none() && v.get("swagger").is_none()) {
                continue;
            }
        }
        let summary = text.and_then(|text| {
            let loaded = generator::load::load_str(Path::new(&entry.path), &text)
                .map_err(|e| e.to_string())?;
            let spec = &loaded.spec;
            Ok(DocumentSummary {
                title: spec.info.title.clone(),
                info_version: spec.info.version.clone(),
                operations: spec
                    .paths
                    .paths
                    .values()
                    .filter_map(|item| item.as_item())
                    .map(|item| item.iter().count())
                    .sum(),
            })
        });
        found.push(Discovered {
            path: entry.path.clone(),
            version: version.to_owned(),
            version_listed: config.documents.iter().any(|d| d.version == version),
            summary,
        });
    }
    Ok(found)
}

/// `<prefix>Rollouts/<rollout id>/<version>/<file>.json` → the version; the
/// Postman collections in deeper folders and other files are not documents.
fn published_document_version<'p>(prefixes: &[String], path: &'p str) -> Option<&'p str> {
    let rest = prefixes
        .iter()
        .find_map(|p| path.strip_prefix(p.as_str()))?;
    match rest.split('/').collect::<Vec<_>>().as_slice() {
        ["Rollouts", rollout, version, file]
            if !rollout.is_empty() && !version.is_empty() && file.ends_with(".json") =>
        {
            Some(version)
        }
        _ => None,
    }
}

/// `associationsSchema.json` → `associations-schema`, the name in specs/.
fn document_name(path: &str) -> String {
    let stem = path
        .rsplit('/')
        .next()
        .unwrap_or(path)
        .trim_end_matches(".json");
    let mut name = String::new();
    for c in stem.chars() {
        if c.is_ascii_uppercase() {
            if !name.is_empty() {
                name.push('-');
            }
            name.push(c.to_ascii_lowercase());
        } else if c == ' ' || c == '_' {
            name.push('-');
        } else {
            name.push(c);
        }
    }
    name
}

fn discovery_report(found: &[Discovered]) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    if found.is_empty() {
        out.push_str("versions.toml lists every published document it looks for.\n");
        return out;
    }
    let _ = writeln!(
        out,
        "{} published document(s) not in versions.toml:\n",
        found.len()
    );
    for d in found {
        let what = match &d.summary {
            Ok(s) => format!(
                "{:?}, info.version {}, {} operation(s)",
                s.title, s.info_version, s.operations
            ),
            Err(e) => format!("could not be read: {e}"),
        };
        let note = if d.version_listed {
            "; this version is listed, from other files (another rollout)"
        } else {
            ""
        };
        let _ = writeln!(out, "- {} ({}): {what}{note}", d.version, d.path);
    }
    out.push_str("\nTo add them, list them in specs/versions.toml:\n");
    for d in found {
        let _ = writeln!(
            out,
            "\n[[document]]\nversion = \"{}\"\nname = \"{}\"\nurl = \"{{base}}/{}\"",
            d.version,
            document_name(&d.path),
            d.path
        );
    }
    out
}

/// The body of a 2xx answer, as text.
fn download(agent: &ureq::Agent, url: &str) -> Result<String, String> {
    let mut response = agent.get(url).call().map_err(|e| e.to_string())?;
    let status = response.status();
    if !status.is_success() {
        return Err(format!("HTTP {status}"));
    }
    let bytes = response
        .body_mut()
        .with_config()
        .limit(MAX_BYTES)
        .read_to_vec()
        .map_err(|e| format!("reading the body failed: {e}"))?;
    String::from_utf8(bytes).map_err(|_| "the body is not UTF-8 text".to_owned())
}

/// `rejected 2026-03/associations.json from URL: <why>`, without the
/// generator's own copy of the path in `why`.
fn rejected(relative: &str, url: &str, message: &str) -> anyhow::Error {
    let why = message
        .strip_prefix(relative)
        .map(|rest| rest.trim_start_matches(": "))
        .unwrap_or(message);
    anyhow!("rejected {relative} from {url}: {}", why.replace('\n', " "))
}

/// Generates from a copy of `specs` with the fetched documents in place.
fn check_generates(specs: &Path, fetched: &[Fetched]) -> Result<()> {
    let copy = tempfile::tempdir().context("cannot create a temporary folder")?;
    copy_tree(specs, copy.path())?;
    for f in fetched {
        let path = copy.path().join(f.source.relative());
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(&path, &f.text)?;
    }
    let Err(e) = project::generate(copy.path(), &Options::default()) else {
        return Ok(());
    };
    let prefix = format!("{}{}", copy.path().display(), std::path::MAIN_SEPARATOR);
    let message = e.to_string().replace(&prefix, "");
    Err(
        match fetched
            .iter()
            .find(|f| message.starts_with(&f.source.relative()))
        {
            Some(f) => rejected(&f.source.relative(), &f.url, &message),
            None => anyhow!(
                "the fetched documents do not generate: {}",
                message.replace('\n', " ")
            ),
        },
    )
}

fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    for entry in
        std::fs::read_dir(from).with_context(|| format!("cannot read {}", from.display()))?
    {
        let entry = entry?;
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            std::fs::create_dir_all(&target)?;
            copy_tree(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)
                .with_context(|| format!("cannot copy {}", entry.path().display()))?;
        }
    }
    Ok(())
}

/// Writes every new file next to its target under a dot name (codegen skips
/// those), then renames each over its target. Nothing is renamed unless every
/// file was written; a failure before that removes what it wrote.
fn replace(specs: &Path, changed: &[&Fetched]) -> Result<()> {
    let mut created_dirs: Vec<PathBuf> = Vec::new();
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    let result = (|| -> Result<()> {
        for f in changed {
            let target = specs.join(f.source.relative());
            let dir = target.parent().unwrap_or(specs).to_owned();
            if !dir.exists() {
                std::fs::create_dir_all(&dir)
                    .with_context(|| format!("cannot create {}", dir.display()))?;
                created_dirs.push(dir.clone());
            }
            let temp = dir.join(format!(
                ".{}.json.fetch-{}",
                f.source.name,
                std::process::id()
            ));
            std::fs::write(&temp, &f.text)
                .with_context(|| format!("cannot write {}", temp.display()))?;
            staged.push((temp, target));
        }
        Ok(())
    })();
    if let Err(e) = result {
        for (temp, _) in &staged {
            let _ = std::fs::remove_file(temp);
        }
        for dir in created_dirs.iter().rev() {
            let _ = std::fs::remove_dir(dir);
        }
        return Err(e);
    }
    for (temp, target) in &staged {
        std::fs::rename(temp, target)
            .with_context(|| format!("cannot replace {}", target.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    //! Against a tiny HTTP server on 127.0.0.1 serving fixture documents.

    use std::collections::BTreeMap;
    use std::io::{BufRead, BufReader, Write};
    use std::net::{SocketAddr, TcpListener, TcpStream};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::thread::JoinHandle;

    use super::*;

    #[derive(Clone)]
    enum Reply {
        Body(String),
        Status(&'static str),
        /// Announces `declared` bytes, sends `body`, closes.
        Truncated {
            declared: usize,
            body: String,
        },
    }

    /// Serves `routes` until dropped; at most 64 connections, each with a
    /// read timeout, so it cannot hang a test.
    struct Server {
        addr: SocketAddr,
        stop: Arc<AtomicBool>,
        thread: Option<JoinHandle<()>>,
    }

    impl Server {
        fn start(routes: BTreeMap<String, Reply>) -> Server {
            let listener = TcpListener::bind("127.0.0.1:0").unwrap();
            let addr = listener.local_addr().unwrap();
            let stop = Arc::new(AtomicBool::new(false));
            let stopped = stop.clone();
            let thread = std::thread::spawn(move || {
                for stream in listener.incoming().take(64) {
                    if stopped.load(Ordering::SeqCst) {
                        break;
                    }
                    if let Ok(stream) = stream {
                        let _ = serve(stream, &routes);
                    }
                }
            });
            Server {
                addr,
                stop,
                thread: Some(thread),
            }
        }

        fn base(&self) -> String {
            format!("http://{}", self.addr)
        }
    }

    impl Drop for Server {
        fn drop(&mut self) {
            self.stop.store(true, Ordering::SeqCst);
            let _ = TcpStream::connect(self.addr);
            if let Some(thread) = self.thread.take() {
                let _ = thread.join();
            }
        }
    }

    fn serve(mut stream: TcpStream, routes: &BTreeMap<String, Reply>) -> std::io::Result<()> {
        stream.set_read_timeout(Some(Duration::from_secs(5)))?;
        let mut reader = BufReader::new(stream.try_clone()?);
        let mut request_line = String::new();
        reader.read_line(&mut request_line)?;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line)? == 0 || line == "\r\n" {
                break;
            }
        }
        let path = request_line.split(' ').nth(1).unwrap_or("/");
        let (status, declared, body) = match routes.get(path) {
            Some(Reply::Body(body)) => ("200 OK", body.len(), body.as_str()),
            Some(Reply::Status(status)) => (*status, 0, ""),
            Some(Reply::Truncated { declared, body }) => ("200 OK", *declared, body.as_str()),
            None => ("404 Not Found", 0, ""),
        };
        write!(
            stream,
            "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {declared}\r\nConnection: close\r\n\r\n{body}"
        )?;
        stream.flush()?;
        stream.shutdown(std::net::Shutdown::Both)
    }

    fn real_specs() -> PathBuf {
        workspace_root().join("specs")
    }

    fn real(relative: &str) -> String {
        std::fs::read_to_string(real_specs().join(relative)).unwrap()
    }

    /// A throwaway specs folder: the real documents and overrides, and a
    /// config listing `documents` (version, name) under the server's paths.
    fn specs_copy(documents: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        copy_tree(&real_specs(), dir.path()).unwrap();
        let mut config = String::from("base_url = \"https://example.invalid/apis\"\n");
        for (version, name) in documents {
            config.push_str(&format!(
                "\n[[document]]\nversion = \"{version}\"\nname = \"{name}\"\nurl = \"{{base}}/crm/{version}/{name}\"\n"
            ));
        }
        std::fs::write(dir.path().join(CONFIG_FILE), config).unwrap();
        dir
    }

    /// Every file under `dir` (dot files too), with its bytes.
    fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
        let mut out = BTreeMap::new();
        let mut stack = vec![dir.to_owned()];
        while let Some(d) = stack.pop() {
            for entry in std::fs::read_dir(&d).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    let bytes = std::fs::read(&path).unwrap();
                    out.insert(path.strip_prefix(dir).unwrap().to_owned(), bytes);
                }
            }
        }
        out
    }

    fn fetch(specs: &Path, server: &Server) -> Result<ExitCode> {
        run(Args {
            base_url: Some(server.base()),
            listing_url: None,
            config: None,
            specs: specs.to_owned(),
            discover: false,
        })
    }

    /// Runs a fetch that must fail; returns its message and checks that
    /// specs/ did not change at all.
    fn failing(documents: &[(&str, &str)], routes: BTreeMap<String, Reply>) -> (String, String) {
        let specs = specs_copy(documents);
        let before = snapshot(specs.path());
        let server = Server::start(routes);
        let error = fetch(specs.path(), &server).expect_err("the fetch must fail");
        let message = format!("{error:#}");
        assert!(!message.contains('\n'), "one line: {message}");
        assert!(
            snapshot(specs.path()) == before,
            "specs/ changed after: {message}"
        );
        (message, server.base())
    }

    /// The first document is fine (and different from the one on disk), so
    /// a failure proves nothing is replaced before everything checks out.
    fn good_first(bad: Reply) -> BTreeMap<String, Reply> {
        BTreeMap::from([
            (
                "/crm/2026-09/associations".to_owned(),
                Reply::Body(format!("{}\n", real("2026-09/associations.json"))),
            ),
            ("/crm/2026-09/associations-schema".to_owned(), bad),
        ])
    }

    const BOTH: &[(&str, &str)] = &[
        ("2026-09", "associations"),
        ("2026-09", "associations-schema"),
    ];

    #[test]
    fn fetches_checks_and_replaces() {
        let specs = specs_copy(&[
            ("2026-09", "associations"),
            ("2026-09", "associations-schema"),
            ("2026-03", "associations"),
        ]);
        // One document is missing locally, one differs, one is the same.
        std::fs::remove_file(specs.path().join("2026-09/associations-schema.json")).unwrap();
        let changed = format!("{}\n", real("2026-09/associations.json"));
        let server = Server::start(BTreeMap::from([
            (
                "/crm/2026-09/associations".to_owned(),
                Reply::Body(changed.clone()),
            ),
            (
                "/crm/2026-09/associations-schema".to_owned(),
                Reply::Body(real("2026-09/associations-schema.json")),
            ),
            (
                "/crm/2026-03/associations".to_owned(),
                Reply::Body(real("2026-03/associations.json")),
            ),
        ]));
        let before = snapshot(specs.path());
        assert_eq!(fetch(specs.path(), &server).unwrap(), ExitCode::SUCCESS);
        let after = snapshot(specs.path());

        let mut expected = before.clone();
        expected.insert(
            PathBuf::from("2026-09/associations.json"),
            changed.into_bytes(),
        );
        expected.insert(
            PathBuf::from("2026-09/associations-schema.json"),
            real("2026-09/associations-schema.json").into_bytes(),
        );
        // Exactly those two files changed; no temporary file is left behind.
        assert!(after == expected, "{:?}", after.keys().collect::<Vec<_>>());
    }

    #[test]
    fn a_404_fails_cleanly() {
        let (message, base) = failing(BOTH, good_first(Reply::Status("404 Not Found")));
        assert_eq!(
            message,
            format!(
                "cannot fetch 2026-09/associations-schema.json from {base}/crm/2026-09/associations-schema: HTTP 404 Not Found"
            )
        );
    }

    #[test]
    fn a_truncated_body_fails_cleanly() {
        let full = real("2026-09/associations-schema.json");
        let (message, base) = failing(
            BOTH,
            good_first(Reply::Truncated {
                declared: full.len(),
                body: full[..1000].to_owned(),
            }),
        );
        let prefix = format!(
            "cannot fetch 2026-09/associations-schema.json from {base}/crm/2026-09/associations-schema: reading the body failed: "
        );
        assert!(message.starts_with(&prefix), "{message}");
    }

    #[test]
    fn a_swagger_2_document_fails_cleanly() {
        let swagger =
            r#"{"swagger": "2.0", "info": {"title": "Old", "version": "1"}, "paths": {}}"#;
        let (message, base) = failing(BOTH, good_first(Reply::Body(swagger.to_owned())));
        let prefix = format!(
            "rejected 2026-09/associations-schema.json from {base}/crm/2026-09/associations-schema: "
        );
        assert!(message.starts_with(&prefix), "{message}");
        assert!(message.contains("3.0"), "says what is expected: {message}");
    }

    #[test]
    fn a_non_json_body_fails_cleanly() {
        let html = "<html><body>Service unavailable</body></html>";
        let (message, base) = failing(BOTH, good_first(Reply::Body(html.to_owned())));
        let prefix = format!(
            "rejected 2026-09/associations-schema.json from {base}/crm/2026-09/associations-schema: not valid JSON: "
        );
        assert!(message.starts_with(&prefix), "{message}");
    }

    /// The document parses, but does not generate (a dangling `$ref`).
    #[test]
    fn documents_that_do_not_generate_fail_cleanly() {
        let dangling = r##"{"openapi": "3.0.1", "info": {"title": "X", "version": "2026-09"},
            "paths": {"/crm/x": {"get": {"responses": {"200": {"description": "ok",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Nope"}}}}}}}}}"##;
        let (message, base) = failing(BOTH, good_first(Reply::Body(dangling.to_owned())));
        let prefix = format!(
            "rejected 2026-09/associations-schema.json from {base}/crm/2026-09/associations-schema: #/paths/~1crm~1x/get/"
        );
        assert!(message.starts_with(&prefix), "{message}");
        assert!(message.contains("dangling $ref"), "{message}");
    }

    /// The repository's folder names have spaces: they are sent encoded.
    #[test]
    fn paths_with_spaces_are_fetched_percent_encoded() {
        let specs = specs_copy(&[]);
        let folder = "PublicApiSpecs/CRM/Associations Schema/Rollouts/130902/2026-09";
        std::fs::write(
            specs.path().join(CONFIG_FILE),
            format!(
                "base_url = \"https://example.invalid\"\n[[document]]\nversion = \"2026-09\"\n\
                 name = \"associations-schema\"\nurl = \"{{base}}/{folder}/associationsSchema.json\"\n"
            ),
        )
        .unwrap();
        let changed = format!("{}\n", real("2026-09/associations-schema.json"));
        let server = Server::start(BTreeMap::from([(
            format!("/{}/associationsSchema.json", folder.replace(' ', "%20")),
            Reply::Body(changed.clone()),
        )]));
        assert_eq!(fetch(specs.path(), &server).unwrap(), ExitCode::SUCCESS);
        assert_eq!(
            std::fs::read_to_string(specs.path().join("2026-09/associations-schema.json")).unwrap(),
            changed
        );
    }

    const LISTING_PATH: &str =
        "/repos/HubSpot/HubSpot-public-api-spec-collection/git/trees/main?recursive=1";

    fn discovery_config(listed: &[&str]) -> Config {
        let mut text = String::from(
            "base_url = \"https://example.invalid\"\n\
             discover = [\"PublicApiSpecs/CRM/Associations/\", \"PublicApiSpecs/CRM/Associations Schema/\"]\n",
        );
        for (i, path) in listed.iter().enumerate() {
            // PublicApiSpecs/<area>/<API>/Rollouts/<id>/<version>/<file>
            let version = path.split('/').nth(5).unwrap();
            text.push_str(&format!(
                "[[document]]\nversion = \"{version}\"\nname = \"d{i}\"\nurl = \"{{base}}/{path}\"\n"
            ));
        }
        toml::from_str(&text).unwrap()
    }

    fn listing(paths: &[(&str, &str)]) -> String {
        let entries: Vec<String> = paths
            .iter()
            .map(|(path, kind)| {
                format!(r#"{{"path": "{path}", "mode": "100644", "type": "{kind}", "sha": "0"}}"#)
            })
            .collect();
        format!(
            r#"{{"sha": "0", "url": "x", "tree": [{}], "truncated": false}}"#,
            entries.join(", ")
        )
    }

    /// A small published-shaped document of `version` with `operations` GETs.
    fn fake_document(title: &str, version: &str, operations: usize) -> String {
        let paths: Vec<String> = (0..operations)
            .map(|i| format!(r#""/crm/x/{version}/p{i}": {{"get": {{"responses": {{"204": {{"description": "ok"}}}}}}}}"#))
            .collect();
        format!(
            r#"{{"openapi": "3.0.1", "info": {{"title": "{title}", "version": "{version}"}}, "paths": {{{}}}}}"#,
            paths.join(", ")
        )
    }

    #[test]
    fn discover_reports_the_published_documents_not_listed() {
        let listed = "PublicApiSpecs/CRM/Associations/Rollouts/130902/2026-09/associations.json";
        let beta = "PublicApiSpecs/CRM/Associations/Rollouts/321895/2026-09-beta/associations.json";
        let next = "PublicApiSpecs/CRM/Associations Schema/Rollouts/400000/2027-03-beta/associationsSchema.json";
        let broken =
            "PublicApiSpecs/CRM/Associations/Rollouts/400000/2027-03-beta/associations.json";
        let postman = "PublicApiSpecs/CRM/Associations Schema/Rollouts/130902/2026-09/CRM - Schema API Collection.json";
        let other_rollout =
            "PublicApiSpecs/CRM/Associations/Rollouts/50914/2026-09/associations.json";
        let tree = listing(&[
            ("PublicApiSpecs/CRM/Associations", "tree"),
            (listed, "blob"),
            (beta, "blob"),
            (next, "blob"),
            (broken, "blob"),
            (other_rollout, "blob"),
            // Not documents of these APIs, or not documents at all.
            (
                "PublicApiSpecs/CRM/Associations/Rollouts/130902/v4/Collection Directory_AssocV4/CRM - Associations V4 API Collection.json",
                "blob",
            ),
            (
                "PublicApiSpecs/CRM/Objects/Rollouts/1/2026-09-beta/objects.json",
                "blob",
            ),
            ("PublicApiSpecs/CRM/Associations/README.md", "blob"),
        ]);
        let encoded = |path: &str| format!("/{}", path.replace(' ', "%20"));
        let server = Server::start(BTreeMap::from([
            (LISTING_PATH.to_owned(), Reply::Body(tree)),
            (
                encoded(beta),
                Reply::Body(fake_document("CRM Associations", "2026-09-beta", 3)),
            ),
            (
                encoded(next),
                Reply::Body(fake_document("Schema", "2027-03-beta", 2)),
            ),
            (encoded(broken), Reply::Status("404 Not Found")),
            (
                encoded(other_rollout),
                Reply::Body(fake_document("Associations", "2026-09", 1)),
            ),
            (
                encoded(postman),
                Reply::Body(
                    r#"{"info": {"_postman_id": "1", "name": "x"}, "item": []}"#.to_owned(),
                ),
            ),
        ]));
        let listing_url = format!("{}{LISTING_PATH}", server.base());
        let found = discover(
            &agent(),
            &discovery_config(&[listed]),
            &listing_url,
            &server.base(),
        )
        .unwrap();
        let summary = |title: &str, version: &str, operations| {
            Ok(DocumentSummary {
                title: title.into(),
                info_version: version.into(),
                operations,
            })
        };
        assert_eq!(
            found,
            [
                Discovered {
                    path: beta.into(),
                    version: "2026-09-beta".into(),
                    version_listed: false,
                    summary: summary("CRM Associations", "2026-09-beta", 3)
                },
                Discovered {
                    path: next.into(),
                    version: "2027-03-beta".into(),
                    version_listed: false,
                    summary: summary("Schema", "2027-03-beta", 2)
                },
                Discovered {
                    path: broken.into(),
                    version: "2027-03-beta".into(),
                    version_listed: false,
                    summary: Err("HTTP 404 Not Found".into())
                },
                Discovered {
                    path: other_rollout.into(),
                    version: "2026-09".into(),
                    version_listed: true,
                    summary: summary("Associations", "2026-09", 1)
                },
            ]
        );
        let report = discovery_report(&found);
        assert!(
            report.starts_with("4 published document(s) not in versions.toml:"),
            "{report}"
        );
        // The entries to paste into versions.toml, with the names specs/ uses.
        assert!(report.contains(&format!(
            "[[document]]\nversion = \"2027-03-beta\"\nname = \"associations-schema\"\nurl = \"{{base}}/{next}\"\n"
        )), "{report}");
    }

    #[test]
    fn discover_with_everything_listed_says_so() {
        let listed = "PublicApiSpecs/CRM/Associations/Rollouts/130902/2026-09/associations.json";
        let server = Server::start(BTreeMap::from([(
            LISTING_PATH.to_owned(),
            Reply::Body(listing(&[(listed, "blob")])),
        )]));
        let listing_url = format!("{}{LISTING_PATH}", server.base());
        let found = discover(
            &agent(),
            &discovery_config(&[listed]),
            &listing_url,
            &server.base(),
        )
        .unwrap();
        assert_eq!(found, []);
        assert_eq!(
            discovery_report(&found),
            "versions.toml lists every published document it looks for.\n"
        );
    }

    #[test]
    fn discover_refuses_a_truncated_listing() {
        let server = Server::start(BTreeMap::from([(
            LISTING_PATH.to_owned(),
            Reply::Body(r#"{"tree": [], "truncated": true}"#.to_owned()),
        )]));
        let listing_url = format!("{}{LISTING_PATH}", server.base());
        let error = discover(
            &agent(),
            &discovery_config(&[]),
            &listing_url,
            &server.base(),
        )
        .unwrap_err();
        assert!(
            error
                .to_string()
                .ends_with("GitHub truncated the listing; documents may be missing"),
            "{error}"
        );
    }

    /// Every listed URL is a file of the published repository's layout, for
    /// the version folder it goes to, and one `--discover` counts as listed.
    #[test]
    fn the_checked_in_config_points_at_the_published_layout() {
        let config = load_config(&real_specs().join(CONFIG_FILE)).unwrap();
        assert_eq!(
            config.base_url,
            "https://raw.githubusercontent.com/HubSpot/HubSpot-public-api-spec-collection/main"
        );
        assert!(config.listing_url.as_deref().is_some_and(|u| u.starts_with(
            "https://api.github.com/repos/HubSpot/HubSpot-public-api-spec-collection/git/trees/"
        )));
        for d in &config.documents {
            let path = d.url.strip_prefix("{base}/").unwrap();
            assert_eq!(
                published_document_version(&config.discover, path),
                Some(d.version.as_str()),
                "{path}"
            );
            let file = path.rsplit('/').next().unwrap();
            assert_eq!(document_name(file), d.name, "{path}");
        }
    }

    #[test]
    fn the_checked_in_config_lists_every_document_in_specs() {
        let config = load_config(&real_specs().join(CONFIG_FILE)).unwrap();
        let listed: Vec<String> = config.documents.iter().map(Source::relative).collect();
        let found: Vec<String> = project::discover(&real_specs())
            .unwrap()
            .into_iter()
            .map(|f| f.relative)
            .collect();
        assert_eq!(
            listed.iter().collect::<std::collections::BTreeSet<_>>(),
            found.iter().collect(),
        );
        assert!(config.base_url.starts_with("https://"));
        assert!(
            config
                .documents
                .iter()
                .all(|d| d.url.starts_with("{base}/"))
        );
    }

    #[test]
    fn config_names_must_stay_inside_specs() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(CONFIG_FILE);
        std::fs::write(
            &path,
            "base_url = \"http://x\"\n[[document]]\nversion = \"..\"\nname = \"a\"\nurl = \"{base}/a\"\n",
        )
        .unwrap();
        let error = load_config(&path).unwrap_err().to_string();
        assert!(
            error.ends_with("`..` is not a plain folder or file name"),
            "{error}"
        );
    }
}
