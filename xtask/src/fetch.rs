//! The `fetch-specs` command: downloads the published documents listed in
//! `specs/versions.toml`, checks them (each parses as OpenAPI 3.0, and the
//! whole specs folder with them generates), and only then replaces the files
//! in `specs/`, each by a rename. Any failure leaves `specs/` byte-for-byte
//! as it was.

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
    /// May contain `{base}`.
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
    config: Option<PathBuf>,
    specs: PathBuf,
}

impl Args {
    pub fn parse(mut args: impl Iterator<Item = String>) -> Result<Self> {
        let mut parsed = Args {
            base_url: None,
            config: None,
            specs: workspace_root().join("specs"),
        };
        while let Some(arg) = args.next() {
            let Some(value) = args.next().filter(|_| arg.starts_with("--")) else {
                bail!("fetch-specs: unknown argument `{arg}`")
            };
            match arg.as_str() {
                "--base-url" => parsed.base_url = Some(value),
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
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_connect(Some(Duration::from_secs(20)))
        .timeout_global(Some(Duration::from_secs(120)))
        .http_status_as_error(false)
        .user_agent("hubspot-associations-codegen (cargo xtask fetch-specs)")
        .build()
        .into();

    let total = config.documents.len();
    let mut fetched = Vec::with_capacity(total);
    for (i, source) in config.documents.iter().enumerate() {
        let relative = source.relative();
        let url = source.url.replace("{base}", base);
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
            config: None,
            specs: specs.to_owned(),
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

    /// Each document parses, but together they do not generate: two
    /// documents of one version would give the same methods.
    #[test]
    fn documents_that_do_not_generate_fail_cleanly() {
        let clash = real("2026-09/associations.json");
        let (message, base) = failing(BOTH, good_first(Reply::Body(clash)));
        let prefix = format!(
            "rejected 2026-09/associations-schema.json from {base}/crm/2026-09/associations-schema: method `"
        );
        assert!(message.starts_with(&prefix), "{message}");
        assert!(message.contains("is also used by"), "{message}");
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
