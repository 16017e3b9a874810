//! The `bench` command: every benchmark of `BENCHMARKS.md`, side by side
//! with its alternative.
//!
//! - `bench run`: the divan benches of `benchmarks/` (`cargo bench -p
//!   benchmarks`: codegen, models, client), then a summary of the ratios
//!   against the targets, from that one run.
//! - `bench compile`: generation time and cold `cargo build` time of the
//!   generated crate against openapi-generator's `rust` client of the same
//!   documents, plus lines of generated code per operation.
//! - `bench marginal`: what the crate costs a user: the cold debug build of a
//!   typical HubSpot integration (tokio, reqwest with default features,
//!   serde with derive, serde_json) with and without the crate (default
//!   features), in one run; then, in one shared target folder, rounds that
//!   rebuild only the units that differ between the two (`--units-only`
//!   skips the whole cold builds).
//! - `bench counts`: the batch-read round trip (bench 4b) counted rather
//!   than timed: instructions per call (callgrind), `brk` calls per call
//!   (strace), and wall time per call with the default allocator, each side
//!   in fresh processes, alternating, so a shared machine's drift hits both.
//! - `bench gzip`: the runtime's hand-written gzip framing with its buffer
//!   pool against flate2's `MultiGzDecoder` without one, in one binary
//!   (`benchmarks/examples/gzip_framing.rs`): instructions and `brk` calls
//!   per inflation, the heap at its peak, wall time; then what flate2 adds
//!   to a build.
//! - `bench` alone: `run` and `compile`.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant, SystemTime};

use anyhow::{Context, Result, bail};
use generator::project::{self, Options};

use crate::{user_path, workspace_root};

/// The openapi-generator release the baseline numbers were measured with.
const OPENAPI_GENERATOR_VERSION: &str = "7.26.0";
/// The version the single-version rows compare.
const ONE_VERSION: &str = "2026-03";

pub struct Args {
    run: bool,
    compile: bool,
    marginal: bool,
    counts: bool,
    gzip: bool,
    work: PathBuf,
    openapi_generator: Option<PathBuf>,
    skip_baseline: bool,
    skip_tls: bool,
    repeat: usize,
    /// `bench marginal`: only the differing-units rounds, no whole cold builds.
    units_only: bool,
    bench_args: Vec<String>,
}

impl Args {
    pub fn parse(mut args: impl Iterator<Item = String>) -> Result<Self> {
        let root = workspace_root();
        let mut parsed = Args {
            run: true,
            compile: true,
            marginal: false,
            counts: false,
            gzip: false,
            work: target_dir(&root).join("bench-compile"),
            openapi_generator: None,
            skip_baseline: false,
            skip_tls: false,
            repeat: 1,
            units_only: false,
            bench_args: Vec::new(),
        };
        let mut first = true;
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "run" if first => parsed.compile = false,
                "compile" if first => parsed.run = false,
                "marginal" if first => {
                    (parsed.run, parsed.compile, parsed.marginal) = (false, false, true)
                }
                "counts" if first => {
                    (parsed.run, parsed.compile, parsed.counts) = (false, false, true)
                }
                "gzip" if first => (parsed.run, parsed.compile, parsed.gzip) = (false, false, true),
                "--work" | "--openapi-generator" => {
                    let Some(value) = args.next() else {
                        bail!("{arg} needs a path")
                    };
                    let path = user_path(&value)?;
                    if arg == "--work" {
                        parsed.work = path;
                    } else {
                        parsed.openapi_generator = Some(path);
                    }
                }
                "--skip-baseline" => parsed.skip_baseline = true,
                "--skip-tls" => parsed.skip_tls = true,
                "--units-only" => parsed.units_only = true,
                "--repeat" => {
                    let Some(n) = args.next().and_then(|n| n.parse().ok()).filter(|&n| n > 0)
                    else {
                        bail!("--repeat needs a count")
                    };
                    parsed.repeat = n;
                }
                "--" => parsed.bench_args.extend(args.by_ref()),
                other => bail!("bench: unknown argument `{other}`"),
            }
            first = false;
        }
        Ok(parsed)
    }
}

pub fn run(args: Args) -> Result<ExitCode> {
    machine();
    if args.run {
        run_divan(&args.bench_args)?;
    }
    if args.compile {
        compile(&args)?;
    }
    if args.marginal {
        marginal(&args)?;
    }
    if args.counts {
        counts(&args)?;
    }
    if args.gzip {
        gzip_framing()?;
    }
    Ok(ExitCode::SUCCESS)
}

fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

fn machine() {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let rustc = Command::new("rustc")
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    let load = std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into());
    println!("== machine: {cores} cores, {rustc}, load average {load}");
}

// ---------------------------------------------------------------- bench run

/// `cargo bench -p benchmarks`, echoed as it runs, then the ratios.
fn run_divan(extra: &[String]) -> Result<()> {
    println!("\n== cargo bench -p benchmarks (divan; codegen, models, client, limiter)");
    let mut results = divan(&[], extra, &[])?;
    // glibc's malloc gives the top of the heap back to the kernel after a
    // large free and faults it in again on the next decode; run the model
    // and client benches again with that turned off, to show how much of a
    // difference is allocator behaviour rather than code.
    println!(
        "\n== again with MALLOC_TOP_PAD_=67108864 (glibc keeps 64 MiB of heap; models, client)"
    );
    let padded = divan(
        &["--bench", "models", "--bench", "client"],
        extra,
        &[("MALLOC_TOP_PAD_", "67108864")],
    )?;
    for (name, timing) in padded {
        results.insert(format!("{name} [top pad]"), timing);
    }
    summary(&results);
    Ok(())
}

/// Runs `cargo bench -p benchmarks`, echoing stdout, and parses divan's
/// tables: full bench path → (fastest, median) in seconds.
fn divan(
    cargo_args: &[&str],
    extra: &[String],
    env: &[(&str, &str)],
) -> Result<BTreeMap<String, (f64, f64)>> {
    let mut command = Command::new(cargo());
    command
        .current_dir(workspace_root())
        .args(["bench", "-p", "benchmarks"])
        .args(cargo_args)
        .stdout(Stdio::piped());
    if !extra.is_empty() {
        command.arg("--").args(extra);
    }
    for (k, v) in env {
        command.env(k, v);
    }
    let mut child = command.spawn().context("running cargo bench")?;
    let stdout = child.stdout.take().expect("piped stdout");
    let mut parser = DivanParser::default();
    for line in BufReader::new(stdout).lines() {
        let line = line?;
        println!("{line}");
        parser.line(&line);
    }
    if !child.wait()?.success() {
        bail!("cargo bench failed");
    }
    Ok(parser.results)
}

/// Reads divan's tables. A table starts with a header row (`models
/// fastest │ slowest │ median │ …`) whose `│`s give the column positions;
/// a row's depth in the tree is where its name starts, in steps of three
/// characters.
#[derive(Default)]
struct DivanParser {
    separators: Vec<usize>,
    path: Vec<String>,
    /// Full bench path (`models/decode/generated`) → (fastest, median) s.
    results: BTreeMap<String, (f64, f64)>,
}

impl DivanParser {
    fn line(&mut self, line: &str) {
        let chars: Vec<char> = line.chars().collect();
        if line.contains("fastest") && line.contains("median") {
            self.separators = (0..chars.len()).filter(|&i| chars[i] == '│').collect();
            let name: String = chars.iter().take_while(|c| !c.is_whitespace()).collect();
            self.path = vec![name];
            return;
        }
        let Some(&first) = self.separators.first() else {
            return;
        };
        if chars.len() <= first || self.separators.len() < 3 {
            return;
        }
        let cell = |i: usize| -> String {
            let from = if i == 0 {
                0
            } else {
                self.separators[i - 1] + 1
            };
            let to = self.separators.get(i).copied().unwrap_or(chars.len());
            chars[from.min(chars.len())..to.min(chars.len())]
                .iter()
                .collect::<String>()
        };
        let head = cell(0);
        let is_tree = |c: char| matches!(c, '│' | '├' | '╰' | '─' | ' ');
        let name_start = head.chars().take_while(|&c| is_tree(c)).count();
        let rest: String = head.chars().skip(name_start).collect();
        let mut words = rest.split_whitespace();
        let Some(name) = words.next() else {
            return;
        };
        if name.starts_with(|c: char| c.is_ascii_digit()) {
            return; // a counter row (throughput) under a bench
        }
        let depth = (name_start / 3).max(1);
        self.path.truncate(depth);
        self.path.push(name.to_owned());
        let fastest = words.collect::<Vec<_>>().join(" ");
        // cells: 0 name + fastest, 1 slowest, 2 median, 3 mean, …
        if let (Some(fastest), Some(median)) = (seconds(&fastest), seconds(&cell(2))) {
            self.results.insert(self.path.join("/"), (fastest, median));
        }
    }
}

fn seconds(text: &str) -> Option<f64> {
    let (value, unit) = text.trim().split_once(' ')?;
    let value: f64 = value.parse().ok()?;
    let scale = match unit {
        "ns" => 1e-9,
        "µs" | "us" => 1e-6,
        "ms" => 1e-3,
        "s" => 1.0,
        _ => return None,
    };
    Some(value * scale)
}

fn summary(results: &BTreeMap<String, (f64, f64)>) {
    let get = |name: &str| results.get(name).copied();
    let ms = |s: f64| format!("{:.2} ms", s * 1e3);
    println!("\n== summary (this run; median, fastest in brackets)");
    if let Some((fast, median)) = get("codegen/codegen/specs") {
        let verdict = if median < 0.100 { "met" } else { "MISSED" };
        println!(
            "codegen, all of specs/: {} [{}]  (target < 100 ms: {verdict})",
            ms(median),
            ms(fast)
        );
    }
    let scaled: Vec<(usize, (f64, f64))> = [1, 10, 100]
        .into_iter()
        .filter_map(|n| get(&format!("codegen/codegen/x{n}")).map(|t| (n, t)))
        .collect();
    if let Some(&(_, (base_fast, base_median))) = scaled.first() {
        for (n, (fast, median)) in &scaled {
            println!(
                "codegen, largest document x{n}: {} [{}]  = {:.1}x / {:.1}x the x1 time (linear: {n}x)",
                ms(*median),
                ms(*fast),
                median / base_median,
                fast / base_fast
            );
        }
    }
    for (label, suffix) in [("", ""), (" [top pad]", " [top pad]")] {
        for what in ["decode", "encode"] {
            let row = |name: &str| get(&format!("models/{what}/{name}{suffix}"));
            let (Some(o), Some(t)) = (row("generated"), row("hand_written")) else {
                continue;
            };
            println!(
                "{what}{label}: generated {} vs hand-written {}: {:.2}x [{:.2}x]  (throughput, target >= 0.95)",
                ms(o.1),
                ms(t.1),
                t.1 / o.1,
                t.0 / o.0
            );
            for (variant, name) in [
                ("open enums", "hand_written_open_enums"),
                ("jiff dates", "hand_written_jiff_dates"),
            ] {
                if let Some(h) = row(name) {
                    println!(
                        "{what}{label}: hand-written with {variant} {}: {:.2}x [{:.2}x] the hand-written throughput; generated {:.2}x [{:.2}x] of it",
                        ms(h.1),
                        t.1 / h.1,
                        t.0 / h.0,
                        h.1 / o.1,
                        h.0 / o.0
                    );
                }
            }
        }
        let (Some(o), Some(t)) = (
            get(&format!(
                "client/batch_read_round_trip/generated_client{suffix}"
            )),
            get(&format!(
                "client/batch_read_round_trip/raw_reqwest_serde{suffix}"
            )),
        ) else {
            continue;
        };
        println!(
            "batch-read round trip{label}: generated {} vs raw reqwest+serde {}: {:.2}x [{:.2}x]  (time, target <= 1.10)",
            ms(o.1),
            ms(t.1),
            o.1 / t.1,
            o.0 / t.0
        );
    }
    let us = |s: f64| format!("{:.2} µs", s * 1e6);
    if let Some(none) = get("limiter/list_call/no_limiter") {
        for (label, name) in [
            ("in-process", "in_process_limiter"),
            ("Redis", "redis_limiter"),
        ] {
            if let Some(with) = get(&format!("limiter/list_call/{name}")) {
                println!(
                    "limiter overhead per call, {label}: {} (median {} with it, {} without)",
                    us(with.1 - none.1),
                    us(with.1),
                    us(none.1)
                );
            }
        }
    }
}

// ------------------------------------------------------------ bench compile

/// One crate (or workspace of crates) to build cold.
struct Build {
    /// `ours` or `baseline`.
    side: &'static str,
    /// What is compared: the versions and the TLS stack.
    what: String,
    features: String,
    dir: PathBuf,
    target: PathBuf,
    cargo_args: Vec<String>,
    /// Sources touched before the crate-only rebuild.
    touch: Vec<PathBuf>,
}

/// Best (lowest) of the repeats, wall and CPU time separately.
#[derive(Clone, Copy)]
struct Timing {
    total: Duration,
    total_cpu: Duration,
    crate_only: Duration,
    crate_only_cpu: Duration,
    units: usize,
    tls: &'static str,
}

impl Timing {
    fn best(self, other: Timing) -> Timing {
        Timing {
            total: self.total.min(other.total),
            total_cpu: self.total_cpu.min(other.total_cpu),
            crate_only: self.crate_only.min(other.crate_only),
            crate_only_cpu: self.crate_only_cpu.min(other.crate_only_cpu),
            ..self
        }
    }
}

/// Lines of Rust, and lines that are neither blank nor comments.
#[derive(Default, Clone, Copy)]
struct Lines {
    all: usize,
    code: usize,
    operations: usize,
}

impl std::ops::AddAssign for Lines {
    fn add_assign(&mut self, other: Self) {
        self.all += other.all;
        self.code += other.code;
        self.operations += other.operations;
    }
}

/// A document of `specs/` and its operation count (from our IR; the same
/// documents feed the baseline).
struct SpecDoc {
    version_module: String,
    source: String,
    operations: usize,
}

fn compile(args: &Args) -> Result<()> {
    let root = workspace_root();
    let specs = root.join("specs");
    let work = &args.work;
    std::fs::create_dir_all(work).with_context(|| format!("creating {}", work.display()))?;
    println!("\n== bench compile (work folder {})", work.display());

    let generated = project::generate(&specs, &Options::default())?;
    let docs: Vec<SpecDoc> = generated
        .versions
        .iter()
        .flat_map(|v| {
            v.documents.iter().map(|d| SpecDoc {
                version_module: v.module.clone(),
                source: d.source.clone(),
                operations: d.operations.len(),
            })
        })
        .collect();
    let one = project::module_ident(ONE_VERSION);
    let all_modules: Vec<String> = generated
        .versions
        .iter()
        .map(|v| v.module.clone())
        .collect();
    let ops = |only_one: bool| -> usize {
        docs.iter()
            .filter(|d| !only_one || d.version_module == one)
            .map(|d| d.operations)
            .sum()
    };

    // Generation time, as a user runs it: our release xtask as a process,
    // openapi-generator's CLI (a JVM per document).
    println!("\n-- generation (wall time of the process, specs/ -> files)");
    let ours_codegen = time_our_codegen(&root, work)?;
    println!(
        "ours: `xtask codegen` (release binary, best of 5) for all {} documents: {:.0} ms",
        docs.len(),
        ours_codegen.as_secs_f64() * 1e3
    );

    // Our crate, copied out of the workspace.
    let ours_dir = work.join("ours");
    copy_crate(&root.join("generated"), &ours_dir)?;
    fetch(&ours_dir)?;
    let ours = |what: &str, features: &str, cargo_args: Vec<String>| Build {
        side: "ours",
        what: what.to_owned(),
        features: features.to_owned(),
        dir: ours_dir.clone(),
        target: work.join("target-ours"),
        cargo_args,
        touch: vec![ours_dir.join("src/lib.rs")],
    };
    let one_label = format!("{ONE_VERSION}, no TLS");
    let mut builds = vec![ours(
        &one_label,
        &format!("--no-default-features --features {one}"),
        vec![
            "--no-default-features".into(),
            "--features".into(),
            one.clone(),
        ],
    )];
    builds.push(ours(
        "all versions, no TLS",
        "--no-default-features --features <every version>",
        vec![
            "--no-default-features".into(),
            "--features".into(),
            all_modules.join(","),
        ],
    ));
    if !args.skip_tls {
        builds.push(ours(
            "all versions, rustls",
            "--all-features",
            vec!["--all-features".into()],
        ));
    }

    let mut lines: Vec<(String, Lines)> = Vec::new();
    let mut ours_one = count_lines(&ours_dir.join("src").join(&one))?;
    ours_one.operations = ops(true);
    let mut ours_all = Lines::default();
    for module in &all_modules {
        ours_all += count_lines(&ours_dir.join("src").join(module))?;
    }
    ours_all.operations = ops(false);
    lines.push((
        format!("ours, {ONE_VERSION} (its version module)"),
        ours_one,
    ));
    lines.push(("ours, all versions (the version modules)".into(), ours_all));
    lines.push((
        "ours, the runtime crate (hubspot-runtime, hand-written, shared by every API crate)".into(),
        count_lines(&work.join("runtime/src"))?,
    ));

    // The baseline: openapi-generator's `rust` generator, one crate per
    // document, all in one cargo workspace.
    let mut baseline_codegen = None;
    if !args.skip_baseline {
        let cli = openapi_generator(args)?;
        let base_dir = work.join("baseline");
        let _ = std::fs::remove_dir_all(&base_dir);
        std::fs::create_dir_all(&base_dir)?;
        let mut members = Vec::new();
        let mut one_members = Vec::new();
        let (mut time_one, mut time_all) = (Duration::ZERO, Duration::ZERO);
        let (mut base_one, mut base_all) = (Lines::default(), Lines::default());
        for doc in &docs {
            let stem = Path::new(&doc.source)
                .file_stem()
                .map(|s| project::module_ident(&s.to_string_lossy()))
                .unwrap_or_default();
            let package = format!("baseline-{}-{stem}", doc.version_module).replace('_', "-");
            let out = base_dir.join(&package);
            let started = Instant::now();
            let output = Command::new(&cli)
                .arg("generate")
                .arg("-i")
                .arg(specs.join(&doc.source))
                .args(["-g", "rust", "-o"])
                .arg(&out)
                .arg(format!(
                    "--additional-properties=packageName={package},packageVersion=0.1.0"
                ))
                .output()
                .context("running openapi-generator-cli")?;
            let took = started.elapsed();
            if !output.status.success() {
                bail!(
                    "openapi-generator failed on {}:\n{}",
                    doc.source,
                    tail(&output.stdout, 30)
                );
            }
            let mut counted = count_lines(&out.join("src"))?;
            counted.operations = doc.operations;
            time_all += took;
            base_all += counted;
            if doc.version_module == one {
                time_one += took;
                base_one += counted;
                one_members.push(package.clone());
            }
            members.push(package);
        }
        baseline_codegen = Some(time_all);
        println!(
            "baseline: openapi-generator {OPENAPI_GENERATOR_VERSION} `generate -g rust`, one JVM per document: {ONE_VERSION} ({} documents) {:.0} ms, all {} documents {:.0} ms",
            one_members.len(),
            time_one.as_secs_f64() * 1e3,
            members.len(),
            time_all.as_secs_f64() * 1e3
        );
        lines.push((
            format!("baseline, {ONE_VERSION} (every generated file)"),
            base_one,
        ));
        lines.push((
            "baseline, all versions (every generated file)".into(),
            base_all,
        ));

        let manifest = format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
            members
                .iter()
                .map(|m| format!("{m:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        std::fs::write(base_dir.join("Cargo.toml"), manifest)?;
        // The same versions of the dependencies both sides share.
        std::fs::copy(root.join("Cargo.lock"), base_dir.join("Cargo.lock"))?;
        fetch(&base_dir)?;
        let baseline = |what: &str, features: &str, packages: &[String], extra: &[&str]| Build {
            side: "baseline",
            what: what.to_owned(),
            features: features.to_owned(),
            dir: base_dir.clone(),
            target: work.join("target-baseline"),
            cargo_args: packages
                .iter()
                .flat_map(|p| ["-p".to_owned(), p.clone()])
                .chain(extra.iter().map(|a| a.to_string()))
                .collect(),
            touch: packages
                .iter()
                .map(|p| base_dir.join(p).join("src/lib.rs"))
                .collect(),
        };
        // Each baseline build right after the build of ours it is compared
        // with, so both see the same machine.
        builds.insert(
            1,
            baseline(
                &one_label,
                "--no-default-features",
                &one_members,
                &["--no-default-features"],
            ),
        );
        builds.insert(
            3,
            baseline(
                "all versions, no TLS",
                "--no-default-features",
                &members,
                &["--no-default-features"],
            ),
        );
        if !args.skip_tls {
            builds.push(baseline(
                "all versions, rustls",
                "--no-default-features --features rustls",
                &members,
                &["--no-default-features", "--features", "rustls"],
            ));
            builds.push(baseline(
                &format!("{ONE_VERSION}, as shipped"),
                "default features (native-tls)",
                &one_members,
                &[],
            ));
        }
    }
    if let Some(base) = baseline_codegen {
        println!(
            "ratio, all documents: ours takes {:.4}x the baseline's time ({:.0}x faster)",
            ours_codegen.as_secs_f64() / base.as_secs_f64(),
            base.as_secs_f64() / ours_codegen.as_secs_f64()
        );
    }

    println!(
        "\n-- cold `cargo build`, {} round(s), best of each: debug profile, CARGO_INCREMENTAL=0, default jobs, dependencies fetched beforehand, target folder wiped before each build; CPU = user+sys of cargo and every rustc it ran",
        args.repeat
    );
    let mut timings: Vec<Option<Timing>> = vec![None; builds.len()];
    for round in 1..=args.repeat {
        for (build, best) in builds.iter().zip(timings.iter_mut()) {
            print!(
                "round {round}: {} {} [{}] ... ",
                build.side, build.what, build.features
            );
            use std::io::Write as _;
            std::io::stdout().flush()?;
            let t = cold_build(build)?;
            println!(
                "{:.1} s ({:.1} s CPU), crate only {:.1} s ({:.1} s CPU), {} units, TLS: {}",
                t.total.as_secs_f64(),
                t.total_cpu.as_secs_f64(),
                t.crate_only.as_secs_f64(),
                t.crate_only_cpu.as_secs_f64(),
                t.units,
                t.tls
            );
            *best = Some(best.map_or(t, |b| b.best(t)));
        }
    }
    let timings: Vec<Timing> = timings.into_iter().flatten().collect();

    println!("\n-- compile time (best of {} round(s))", args.repeat);
    println!(
        "| crate | compared | cargo flags | cold build, wall s | cold build, CPU s | generated crate(s) only, wall s | generated crate(s) only, CPU s | units | TLS |"
    );
    println!("|---|---|---|---:|---:|---:|---:|---:|---|");
    for (b, t) in builds.iter().zip(&timings) {
        println!(
            "| {} | {} | `{}` | {:.1} | {:.1} | {:.1} | {:.1} | {} | {} |",
            b.side,
            b.what,
            b.features,
            t.total.as_secs_f64(),
            t.total_cpu.as_secs_f64(),
            t.crate_only.as_secs_f64(),
            t.crate_only_cpu.as_secs_f64(),
            t.units,
            t.tls
        );
    }
    println!("\n-- ratios, ours / baseline (target: cold build < 0.50)");
    println!(
        "| compared | cold build, wall | cold build, CPU | crate(s) only, wall | crate(s) only, CPU |"
    );
    println!("|---|---:|---:|---:|---:|");
    for (b, o) in builds
        .iter()
        .zip(&timings)
        .filter(|(b, _)| b.side == "ours")
    {
        let Some((_, t)) = builds
            .iter()
            .zip(&timings)
            .find(|(x, _)| x.side == "baseline" && x.what == b.what)
        else {
            continue;
        };
        let r = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64();
        println!(
            "| {} | {:.2} | {:.2} | {:.2} | {:.2} |",
            b.what,
            r(o.total, t.total),
            r(o.total_cpu, t.total_cpu),
            r(o.crate_only, t.crate_only),
            r(o.crate_only_cpu, t.crate_only_cpu)
        );
    }

    println!("\n-- generated code");
    println!(
        "| code | operations | lines | code lines | lines / operation | code lines / operation |"
    );
    println!("|---|---:|---:|---:|---:|---:|");
    for (what, l) in &lines {
        let per = |n: usize| match l.operations {
            0 => "-".to_owned(),
            ops => format!("{:.0}", n as f64 / ops as f64),
        };
        println!(
            "| {what} | {} | {} | {} | {} | {} |",
            l.operations,
            l.all,
            l.code,
            per(l.all),
            per(l.code)
        );
    }
    println!("(code lines: neither blank nor `//` comments or `///` docs)");
    Ok(())
}

/// Builds xtask in release once, then times `xtask codegen` into `work`.
fn time_our_codegen(root: &Path, work: &Path) -> Result<Duration> {
    let status = Command::new(cargo())
        .current_dir(root)
        .args(["build", "--release", "--quiet", "-p", "xtask"])
        .status()?;
    if !status.success() {
        bail!("building xtask in release failed");
    }
    let exe = target_dir(root).join("release/xtask");
    let out = work.join("codegen-out");
    let mut best = Duration::MAX;
    // Best of five: the first run pays for cold file caches.
    for _ in 0..5 {
        let started = Instant::now();
        let output = Command::new(&exe)
            .current_dir(root)
            .args(["codegen", "--out"])
            .arg(&out)
            .output()?;
        let took = started.elapsed();
        if !output.status.success() {
            bail!("xtask codegen failed:\n{}", tail(&output.stderr, 30));
        }
        best = best.min(took);
    }
    Ok(best)
}

// ------------------------------------------------------------ bench marginal

/// The typical app's dependencies, as its `Cargo.toml` lists them.
const TYPICAL_APP_DEPENDENCIES: &str = r#"tokio = { version = "1", features = ["full"] }
reqwest = "0.13"
serde = { version = "1", features = ["derive"] }
serde_json = "1"
"#;

/// The typical app's code: enough to use each dependency.
const TYPICAL_APP_MAIN: &str = r#"#[derive(serde::Serialize, serde::Deserialize, Debug)]
struct Contact {
    id: String,
    email: Option<String>,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let http = reqwest::Client::new();
    let text = http.get("http://127.0.0.1:9/contacts").send().await?.text().await?;
    let contacts: Vec<Contact> = serde_json::from_str(&text)?;
    println!("{contacts:?}");
    // HUBSPOT
    Ok(())
}
"#;

/// The typical app's package name (both sides).
const APP_PACKAGE: &str = "typical-app";

/// The lines the app with the crate adds to `main`.
const HUBSPOT_USE: &str = r#"use hubspot_associations::AssociationsExt as _;
    let client = hubspot_associations::Client::builder("token").http_client(http).build()?;
    let labels = client.associations().v2026_09().list_labels("contacts", "companies").await?;
    println!("{}", labels.results.len());"#;

/// Cold debug builds of the typical app without and with the crate, best of
/// `--repeat`, and the difference as a share of the app's own build.
fn marginal(args: &Args) -> Result<()> {
    let root = workspace_root();
    let work = args.work.join("marginal");
    std::fs::create_dir_all(&work).with_context(|| format!("creating {}", work.display()))?;
    println!("\n== bench marginal (work folder {})", work.display());
    let crate_dir = work.join("hubspot-associations");
    let _ = std::fs::remove_dir_all(&crate_dir);
    copy_tree(&root.join("generated"), &crate_dir)?;
    // The generated crate depends on `../runtime` (this workspace's layout).
    let runtime_dir = work.join("runtime");
    let _ = std::fs::remove_dir_all(&runtime_dir);
    copy_tree(&root.join("runtime"), &runtime_dir)?;
    let mut builds = Vec::new();
    for with_crate in [false, true] {
        let side = if with_crate { "with" } else { "without" };
        let dir = work.join(format!("app-{side}"));
        std::fs::create_dir_all(dir.join("src"))?;
        let mut dependencies = TYPICAL_APP_DEPENDENCIES.to_owned();
        let mut main = TYPICAL_APP_MAIN.to_owned();
        if with_crate {
            dependencies
                .push_str("hubspot-associations = { path = \"../hubspot-associations\" }\n");
            main = main.replace("// HUBSPOT", HUBSPOT_USE);
        }
        std::fs::write(
            dir.join("Cargo.toml"),
            format!(
                "[package]\nname = \"{APP_PACKAGE}\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n\
                 [dependencies]\n{dependencies}\n[workspace]\n"
            ),
        )?;
        std::fs::write(dir.join("src/main.rs"), main)?;
        // Same versions on both sides: the workspace's lock, then whatever
        // tokio's `full` adds.
        std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))?;
        fetch(&dir)?;
        builds.push(Build {
            side: if with_crate { "ours" } else { "baseline" },
            what: format!("typical app {side} hubspot-associations"),
            features: "default".into(),
            dir: dir.clone(),
            target: work.join(format!("target-{side}")),
            cargo_args: Vec::new(),
            touch: Vec::new(),
        });
    }
    if !args.units_only {
        cold_rounds(&builds, args.repeat)?;
    }
    marginal_units(&builds, &work, args.repeat.max(1) * 3)
}

/// Whole cold builds of both apps, alternating, best of `repeat`.
fn cold_rounds(builds: &[Build], repeat: usize) -> Result<()> {
    let mut best: Vec<Option<Timing>> = vec![None; builds.len()];
    for round in 0..repeat {
        // Alternate the order so neither side always runs on a warmer machine.
        let order: Vec<usize> = if round % 2 == 0 {
            vec![0, 1]
        } else {
            vec![1, 0]
        };
        for i in order {
            let timing = cold_build(&builds[i])?;
            println!(
                "round {}: {}: {:.1} s wall, {:.1} s CPU, {} units",
                round + 1,
                builds[i].what,
                timing.total.as_secs_f64(),
                timing.total_cpu.as_secs_f64(),
                timing.units
            );
            best[i] = Some(best[i].map_or(timing, |b| b.best(timing)));
        }
    }
    let (Some(without), Some(with)) = (best[0], best[1]) else {
        bail!("no builds ran");
    };
    let wall = with.total.as_secs_f64() - without.total.as_secs_f64();
    let cpu = with.total_cpu.as_secs_f64() - without.total_cpu.as_secs_f64();
    println!(
        "\nmarginal cost of hubspot-associations (default features) in a typical app, best of {}:\n\
         app alone {:.1} s wall ({:.1} s CPU, {} units); with the crate {:.1} s wall ({:.1} s CPU, {} units)\n\
         marginal: {wall:+.1} s wall = {:.1}% of the app's own build; {cpu:+.1} s CPU = {:.1}% (target <= 5%)",
        repeat,
        without.total.as_secs_f64(),
        without.total_cpu.as_secs_f64(),
        without.units,
        with.total.as_secs_f64(),
        with.total_cpu.as_secs_f64(),
        with.units,
        100.0 * wall / without.total.as_secs_f64(),
        100.0 * cpu / without.total_cpu.as_secs_f64(),
    );
    Ok(())
}

/// The marginal cost read more finely than two whole cold builds allow:
/// in one shared target folder (both apps built once), each round rebuilds
/// only the units that differ between the two builds (the crate and what
/// it adds, plus every unit whose features it changes, plus the app
/// itself on both sides). Their difference is the marginal cost with a
/// tenth of a cold build's noise. The first build into the wiped folder,
/// the app alone and cold, is what it is a share of.
fn marginal_units(builds: &[Build], work: &Path, rounds: usize) -> Result<()> {
    let target = work.join("target-units");
    match std::fs::remove_dir_all(&target) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e).context(format!("wiping {}", target.display())),
    }
    let artifacts = |build: &Build| -> Result<BTreeMap<String, String>> {
        let output = Command::new(cargo())
            .current_dir(&build.dir)
            .args(["build", "--offline", "--message-format=json"])
            .env("CARGO_TARGET_DIR", &target)
            .env("CARGO_INCREMENTAL", "0")
            .env_remove("RUSTFLAGS")
            .output()
            .context("cargo build")?;
        if !output.status.success() {
            bail!("cargo build failed in {}", build.dir.display());
        }
        // Each artifact file, keyed by path, names the package that made it.
        let mut files = BTreeMap::new();
        for line in String::from_utf8_lossy(&output.stdout).lines() {
            let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else {
                continue;
            };
            if message["reason"] != "compiler-artifact" {
                continue;
            }
            let package = package_name(message["package_id"].as_str().unwrap_or_default());
            for file in message["filenames"].as_array().into_iter().flatten() {
                if let Some(file) = file.as_str() {
                    files.insert(file.to_owned(), package.clone());
                }
            }
        }
        Ok(files)
    };
    // The first build, into the wiped folder, is a cold build of the app
    // alone: the denominator.
    let cpu_before = children_cpu();
    let started = Instant::now();
    let alone = artifacts(&builds[0])?;
    let (app_wall, app_cpu) = (started.elapsed(), children_cpu().saturating_sub(cpu_before));
    println!(
        "\n{}, cold, in the shared folder: {:.1} s wall, {:.1} s CPU",
        builds[0].what,
        app_wall.as_secs_f64(),
        app_cpu.as_secs_f64()
    );
    let sides = [alone, artifacts(&builds[1])?];
    let differing = |side: usize| -> BTreeSet<String> {
        sides[side]
            .iter()
            .filter(|(file, _)| !sides[1 - side].contains_key(*file))
            .map(|(_, package)| package.clone())
            .collect()
    };
    // The app itself on both sides: its binary has one path for both, but
    // its main differs (and must be rebuilt after the crate anyway).
    let packages = [0, 1].map(|side| {
        let mut packages = differing(side);
        packages.insert(APP_PACKAGE.to_owned());
        packages
    });
    println!(
        "
units rebuilt per round, in a shared target folder ({rounds} rounds):"
    );
    for (build, packages) in builds.iter().zip(&packages) {
        let list: Vec<&str> = packages.iter().map(String::as_str).collect();
        println!("  {}: {}", build.what, list.join(", "));
    }
    let mut cpu: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
    let mut wall: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
    for round in 0..rounds {
        let order = if round % 2 == 0 { [0, 1] } else { [1, 0] };
        for side in order {
            let build = &builds[side];
            let mut clean = Command::new(cargo());
            clean
                .current_dir(&build.dir)
                .args(["clean", "--offline", "--quiet"])
                .env("CARGO_TARGET_DIR", &target);
            for package in &packages[side] {
                clean.args(["-p", package]);
            }
            if !clean.status().context("cargo clean")?.success() {
                bail!("cargo clean failed in {}", build.dir.display());
            }
            let cpu_before = children_cpu();
            let started = Instant::now();
            let status = Command::new(cargo())
                .current_dir(&build.dir)
                .args(["build", "--offline", "--quiet"])
                .env("CARGO_TARGET_DIR", &target)
                .env("CARGO_INCREMENTAL", "0")
                .env_remove("RUSTFLAGS")
                .status()?;
            if !status.success() {
                bail!("cargo build failed in {}", build.dir.display());
            }
            wall[side].push(started.elapsed().as_secs_f64());
            cpu[side].push(children_cpu().saturating_sub(cpu_before).as_secs_f64());
        }
    }
    let median = |values: &[f64]| {
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        sorted[sorted.len() / 2]
    };
    let fastest = |values: &[f64]| values.iter().copied().fold(f64::INFINITY, f64::min);
    for (side, build) in builds.iter().enumerate() {
        println!(
            "  {}: CPU median {:.2} s, fastest {:.2} s; wall median {:.2} s",
            build.what,
            median(&cpu[side]),
            fastest(&cpu[side]),
            median(&wall[side])
        );
    }
    let marginal = median(&cpu[1]) - median(&cpu[0]);
    let marginal_fastest = fastest(&cpu[1]) - fastest(&cpu[0]);
    let (app, app_wall) = (app_cpu.as_secs_f64(), app_wall.as_secs_f64());
    let marginal_wall = median(&wall[1]) - median(&wall[0]);
    println!(
        "marginal, by the differing units: {marginal:+.2} s CPU by medians = {:.1}% of the app's own \
         {app:.1} s ({marginal_fastest:+.2} s by the fastest = {:.1}%); wall {marginal_wall:+.2} s = \
         {:.1}% of {app_wall:.1} s (target <= 5%)",
        100.0 * marginal / app,
        100.0 * marginal_fastest / app,
        100.0 * marginal_wall / app_wall,
    );
    Ok(())
}

/// The package a cargo package id names: `registry+…#name@1.0.0`, or
/// `path+file:///…/name#1.0.0` for a path package named like its folder.
fn package_name(id: &str) -> String {
    let (source, fragment) = id.rsplit_once('#').unwrap_or((id, ""));
    match fragment.split_once('@') {
        Some((name, _)) => name.to_owned(),
        None => source.rsplit('/').next().unwrap_or(source).to_owned(),
    }
}

/// Copies a crate's sources (not its `target`) to `to`, as its own
/// workspace, with the workspace's lock file.
/// Bench 4b counted: see the module docs. `--repeat N` sets the rounds of
/// the wall-time comparison (default 15). Each round pairs the two sides
/// back to back, so the ratio within a round is what drift on a shared VM
/// disturbs least.
fn counts(args: &Args) -> Result<()> {
    let root = workspace_root();
    let status = Command::new(cargo())
        .current_dir(&root)
        .args([
            "build",
            "--release",
            "-p",
            "benchmarks",
            "--example",
            "round_trip_calls",
        ])
        .status()
        .context("cargo build")?;
    if !status.success() {
        bail!("building the round_trip_calls example failed");
    }
    let example = target_dir(&root).join("release/examples/round_trip_calls");
    let has = |tool: &str| {
        Command::new(tool)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    };
    let (valgrind, strace) = (has("valgrind"), has("strace"));
    let sides = ["generated", "raw"];
    println!("\nbatch-read round trip, per call (difference of 12 and 2 calls, / 10):");
    println!("| encoding | side | instructions | brk calls |");
    println!("|---|---|---:|---:|");
    for encoding in ["plain", "gzip"] {
        let mut instructions = Vec::new();
        for side in sides {
            let per_call = |measure: &dyn Fn(usize) -> Result<u64>| -> Result<Option<f64>> {
                Ok(Some((measure(12)? as f64 - measure(2)? as f64) / 10.0))
            };
            let instr = if valgrind {
                per_call(&|n| callgrind_instructions(&example, side, encoding, n))?
            } else {
                None
            };
            let brk = if strace {
                per_call(&|n| strace_brk(&example, side, encoding, n))?
            } else {
                None
            };
            instructions.push(instr);
            let show = |v: Option<f64>, scale: f64, unit: &str| {
                v.map_or("(tool missing)".to_owned(), |v| {
                    format!("{:.2}{unit}", v / scale)
                })
            };
            println!(
                "| {encoding} | {side} | {} | {} |",
                show(instr, 1e6, " M"),
                show(brk, 1.0, "")
            );
        }
        if let [Some(ours), Some(theirs)] = instructions[..] {
            println!("| {encoding} | ratio | **{:.3}×** | |", ours / theirs);
        }
    }
    let rounds = if args.repeat == 1 { 15 } else { args.repeat };
    println!(
        "\nwall time per call, default allocator: {rounds} rounds, each side in a fresh process \
         of 40 calls, the two sides back to back, alternating which goes first; medians over \
         the rounds, and the round's generated/raw ratio (median, and the middle half of rounds):"
    );
    println!("| encoding | generated | raw reqwest + serde | ratio, median | middle half |");
    println!("|---|---:|---:|---:|---:|");
    for encoding in ["plain", "gzip"] {
        let mut medians: [Vec<f64>; 2] = Default::default();
        let mut ratios = Vec::new();
        for round in 0..rounds {
            let order = if round % 2 == 0 { [0, 1] } else { [1, 0] };
            let mut pair = [0.0; 2];
            for i in order {
                pair[i] = wall_per_call(&example, sides[i], encoding, 40)?.0;
                medians[i].push(pair[i]);
            }
            ratios.push(pair[0] / pair[1]);
        }
        let sorted = |mut v: Vec<f64>| {
            v.sort_by(f64::total_cmp);
            v
        };
        let [ours, theirs] = medians.map(sorted);
        let ratios = sorted(ratios);
        let n = ratios.len();
        println!(
            "| {encoding} | {:.2} ms | {:.2} ms | **{:.2}×** | {:.2}–{:.2}× |",
            ours[n / 2] / 1e6,
            theirs[n / 2] / 1e6,
            ratios[n / 2],
            ratios[n / 4],
            ratios[(3 * n) / 4 - usize::from(n % 4 == 0)],
        );
    }
    Ok(())
}

/// `bench gzip`: see the module docs and BENCHMARKS.md 4d.
fn gzip_framing() -> Result<()> {
    let root = workspace_root();
    let status = Command::new(cargo())
        .current_dir(&root)
        .args([
            "build",
            "--release",
            "-p",
            "benchmarks",
            "--example",
            "gzip_framing",
        ])
        .status()
        .context("cargo build")?;
    if !status.success() {
        bail!("building the gzip_framing example failed");
    }
    let example = target_dir(&root).join("release/examples/gzip_framing");
    println!("\ngzip framing, per inflation (difference of two call counts):");
    println!("| body | framing | instructions | brk calls | heap at the peak | wall, median |");
    println!("|---|---|---:|---:|---:|---:|");
    // The bomb inflates 32 MiB a call: fewer calls.
    for (body, few, many, timed) in [("batch", 2, 12, 40), ("bomb", 1, 3, 5)] {
        for side in ["hand", "flate2"] {
            let per_call = |measure: &dyn Fn(usize) -> Result<u64>| -> Result<f64> {
                Ok((measure(many)? as f64 - measure(few)? as f64) / (many - few) as f64)
            };
            let instructions =
                per_call(&|n| callgrind_instructions(&example, side, body, n))? / 1e6;
            let brk = per_call(&|n| strace_brk(&example, side, body, n))?;
            let output = Command::new(&example)
                .args([side, body, &timed.to_string()])
                .output()
                .context("gzip_framing")?;
            let text = String::from_utf8_lossy(&output.stdout);
            let field = |name: &str| -> f64 {
                text.split_whitespace()
                    .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(f64::NAN)
            };
            println!(
                "| {body} | {side} | {instructions:.2} M | {brk:.1} | {:.1} MB | {:.3} ms |",
                field("peak_heap_above_start") / 1e6,
                field("median_ns") / 1e6
            );
        }
    }
    // What flate2 adds to a build: its own crate only (miniz_oxide and
    // crc32fast are the runtime's dependencies already). A scratch crate
    // using it as the runtime would (`rust_backend` only), with this
    // workspace's lock file; its dependencies built first, then flate2.
    let work = target_dir(&root).join("bench-flate2");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(work.join("src")).context("scratch crate")?;
    std::fs::write(
        work.join("Cargo.toml"),
        "[package]\nname = \"flate2-probe\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\n\
         [dependencies]\nflate2 = { version = \"1\", default-features = false, features = [\"rust_backend\"] }\n\
         miniz_oxide = { version = \"0.9\", default-features = false, features = [\"with-alloc\"] }\n\
         crc32fast = \"1\"\n\n[workspace]\n",
    )?;
    std::fs::write(work.join("src/lib.rs"), "")?;
    std::fs::copy(root.join("Cargo.lock"), work.join("Cargo.lock"))?;
    println!("\nflate2 (rust_backend only) built alone, its dependencies already built:");
    println!("| profile | flate2's own build |");
    println!("|---|---:|");
    for profile in ["dev", "release"] {
        let build = |packages: &[&str]| -> Result<Duration> {
            let started = Instant::now();
            let mut command = Command::new(cargo());
            command.current_dir(&work).args([
                "build",
                "-q",
                "--offline",
                "-j",
                "1",
                "--profile",
                profile,
            ]);
            for p in packages {
                command.args(["-p", p]);
            }
            if !command.status().context("cargo build")?.success() {
                bail!("building {packages:?} failed");
            }
            Ok(started.elapsed())
        };
        build(&["miniz_oxide", "crc32fast"])?;
        let flate2 = build(&["flate2"])?;
        println!("| {profile} | {:.2} s |", flate2.as_secs_f64());
    }
    let tree = Command::new(cargo())
        .current_dir(&work)
        .args([
            "tree",
            "--offline",
            "-e",
            "normal",
            "--prefix",
            "none",
            "-p",
            "flate2",
        ])
        .output()
        .context("cargo tree")?;
    let mut crates: Vec<String> = String::from_utf8_lossy(&tree.stdout)
        .lines()
        .map(|l| l.split_whitespace().next().unwrap_or_default().to_owned())
        .collect();
    crates.sort();
    crates.dedup();
    println!("flate2's dependency tree: {}", crates.join(", "));
    Ok(())
}

fn callgrind_instructions(example: &Path, side: &str, encoding: &str, calls: usize) -> Result<u64> {
    let output = Command::new("valgrind")
        .args(["--tool=callgrind", "--callgrind-out-file=/dev/null"])
        .arg(example)
        .args([side, encoding, &calls.to_string()])
        .output()
        .context("valgrind")?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    stderr
        .lines()
        .find_map(|line| line.split("Collected : ").nth(1))
        .and_then(|n| n.trim().parse().ok())
        .with_context(|| {
            format!(
                "no instruction count from callgrind: {}",
                tail(&output.stderr, 5)
            )
        })
}

fn strace_brk(example: &Path, side: &str, encoding: &str, calls: usize) -> Result<u64> {
    let output = Command::new("strace")
        .args(["-f", "-c", "-e", "trace=brk"])
        .arg(example)
        .args([side, encoding, &calls.to_string()])
        .output()
        .context("strace")?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    // `% time  seconds  usecs/call  calls  errors  syscall`: the calls column.
    stderr
        .lines()
        .find(|line| line.trim_end().ends_with(" brk"))
        .and_then(|line| line.split_whitespace().nth(3))
        .and_then(|n| n.parse().ok())
        .with_context(|| format!("no brk count from strace: {}", tail(&output.stderr, 5)))
}

/// Median and fastest wall time per call, in ns, from one fresh process.
fn wall_per_call(example: &Path, side: &str, encoding: &str, calls: usize) -> Result<(f64, f64)> {
    let output = Command::new(example)
        .args([side, encoding, &calls.to_string()])
        .output()
        .context("round_trip_calls")?;
    if !output.status.success() {
        bail!(
            "round_trip_calls {side} {encoding}: {}",
            tail(&output.stderr, 5)
        );
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let value = |key: &str| {
        stdout
            .split_whitespace()
            .find_map(|field| field.strip_prefix(key))
            .and_then(|n| n.parse::<f64>().ok())
    };
    match (value("median_ns="), value("fastest_ns=")) {
        (Some(median), Some(fastest)) => Ok((median, fastest)),
        _ => bail!("round_trip_calls printed no times: {stdout}"),
    }
}

fn copy_crate(from: &Path, to: &Path) -> Result<()> {
    let _ = std::fs::remove_dir_all(to);
    copy_tree(from, to)?;
    let manifest = to.join("Cargo.toml");
    let mut text = std::fs::read_to_string(&manifest)?;
    text.push_str("\n[workspace]\n");
    std::fs::write(&manifest, text)?;
    std::fs::copy(workspace_root().join("Cargo.lock"), to.join("Cargo.lock"))?;
    // Generated crates depend on `../runtime` (this workspace's layout).
    if let Some(parent) = to.parent() {
        let runtime = parent.join("runtime");
        let _ = std::fs::remove_dir_all(&runtime);
        copy_tree(&workspace_root().join("runtime"), &runtime)?;
    }
    Ok(())
}

fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name();
        if name == "target" {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            copy_tree(&path, &to.join(&name))?;
        } else {
            std::fs::copy(&path, to.join(&name))?;
        }
    }
    Ok(())
}

/// Downloads dependencies up front so no build times the network.
fn fetch(dir: &Path) -> Result<()> {
    let status = Command::new(cargo())
        .current_dir(dir)
        .args(["fetch", "--quiet"])
        .status()?;
    if !status.success() {
        bail!("cargo fetch failed in {}", dir.display());
    }
    Ok(())
}

/// User + system time of this process's waited-for children so far
/// (`cutime` + `cstime` of /proc/self/stat, in USER_HZ = 100 ticks).
fn children_cpu() -> Duration {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return Duration::ZERO;
    };
    let Some((_, after_name)) = stat.rsplit_once(')') else {
        return Duration::ZERO;
    };
    // Fields after the command name start at field 3 (state); cutime and
    // cstime are fields 16 and 17.
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks: u64 = [13, 14]
        .iter()
        .filter_map(|&i| fields.get(i)?.parse::<u64>().ok())
        .sum();
    Duration::from_millis(ticks * 10)
}

fn cold_build(build: &Build) -> Result<Timing> {
    match std::fs::remove_dir_all(&build.target) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e).context(format!("wiping {}", build.target.display())),
    }
    let run = || -> Result<(Duration, Duration, String)> {
        let cpu_before = children_cpu();
        let started = Instant::now();
        let output = Command::new(cargo())
            .current_dir(&build.dir)
            .args(["build", "--offline"])
            .args(&build.cargo_args)
            .env("CARGO_TARGET_DIR", &build.target)
            .env("CARGO_INCREMENTAL", "0")
            .env("CARGO_TERM_COLOR", "never")
            .env_remove("RUSTFLAGS")
            .output()?;
        let took = started.elapsed();
        let cpu = children_cpu().saturating_sub(cpu_before);
        if !output.status.success() {
            bail!(
                "cargo build failed in {}:\n{}",
                build.dir.display(),
                tail(&output.stderr, 40)
            );
        }
        Ok((
            took,
            cpu,
            String::from_utf8_lossy(&output.stderr).into_owned(),
        ))
    };
    let (total, total_cpu, log) = run()?;
    let compiled: Vec<&str> = log
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("Compiling "))
        .collect();
    let has = |name: &str| compiled.iter().any(|c| c.starts_with(&format!("{name} ")));
    let tls = if has("openssl-sys") || has("native-tls") {
        "native-tls (OpenSSL)"
    } else if has("aws-lc-sys") {
        "rustls (aws-lc-rs)"
    } else if has("ring") {
        "rustls (ring)"
    } else if has("rustls") {
        "rustls"
    } else {
        "none"
    };
    for file in &build.touch {
        std::fs::File::options()
            .write(true)
            .open(file)
            .and_then(|f| f.set_modified(SystemTime::now()))
            .with_context(|| format!("touching {}", file.display()))?;
    }
    let (crate_only, crate_only_cpu, _) = run()?;
    Ok(Timing {
        total,
        total_cpu,
        crate_only,
        crate_only_cpu,
        units: compiled.len(),
        tls,
    })
}

fn count_lines(dir: &Path) -> Result<Lines> {
    let mut lines = Lines::default();
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            lines += count_lines(&path)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            for line in std::fs::read_to_string(&path)?.lines() {
                let line = line.trim();
                lines.all += 1;
                if !line.is_empty() && !line.starts_with("//") {
                    lines.code += 1;
                }
            }
        }
    }
    Ok(lines)
}

/// The openapi-generator CLI: `--openapi-generator`, `$OPENAPI_GENERATOR_CLI`,
/// `<work>/venv/bin/openapi-generator-cli`, or on `PATH`; Java must run.
fn openapi_generator(args: &Args) -> Result<PathBuf> {
    let venv = args.work.join("venv");
    let candidates: Vec<PathBuf> = args
        .openapi_generator
        .clone()
        .into_iter()
        .chain(std::env::var_os("OPENAPI_GENERATOR_CLI").map(PathBuf::from))
        .chain([venv.join("bin/openapi-generator-cli")])
        .collect();
    let found = candidates.into_iter().find(|p| p.is_file()).or_else(|| {
        Command::new("openapi-generator-cli")
            .arg("version")
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|_| PathBuf::from("openapi-generator-cli"))
    });
    let Some(cli) = found else {
        bail!(
            "openapi-generator-cli not found. Install it (Java 11+ must be on PATH) with:\n\n    \
             python3 -m venv {venv}\n    {venv}/bin/pip install openapi-generator-cli=={OPENAPI_GENERATOR_VERSION}\n\n\
             or pass --openapi-generator PATH, or --skip-baseline.",
            venv = venv.display()
        );
    };
    let version = Command::new(&cli)
        .arg("version")
        .output()
        .context("running openapi-generator-cli (is Java installed?)")?;
    if !version.status.success() {
        bail!(
            "`{} version` failed (is Java installed?):\n{}",
            cli.display(),
            tail(&version.stderr, 20)
        );
    }
    let version = String::from_utf8_lossy(&version.stdout).trim().to_owned();
    println!(
        "baseline generator: {} (openapi-generator {version})",
        cli.display()
    );
    if version != OPENAPI_GENERATOR_VERSION {
        println!(
            "note: BENCHMARKS.md was measured with {OPENAPI_GENERATOR_VERSION}; this is {version}"
        );
    }
    Ok(cli)
}

fn tail(bytes: &[u8], lines: usize) -> String {
    let text = String::from_utf8_lossy(bytes);
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_names_from_package_ids() {
        assert_eq!(
            package_name("registry+https://github.com/rust-lang/crates.io-index#miniz_oxide@0.9.1"),
            "miniz_oxide"
        );
        assert_eq!(
            package_name("path+file:///w/marginal/hubspot-associations#0.1.0"),
            "hubspot-associations"
        );
        assert_eq!(
            package_name("path+file:///w/marginal/app-with#typical-app@0.1.0"),
            "typical-app"
        );
    }

    #[test]
    fn parses_divan_rows() {
        let table = "\
models              fastest       │ slowest       │ median        │ mean          │ samples │ iters
├─ decode                         │               │               │               │         │
│  ├─ generated     6.846 ms      │ 15.43 ms      │ 7.009 ms      │ 7.692 ms      │ 100     │ 100
│  │                226.8 MB/s    │ 100.6 MB/s    │ 221.6 MB/s    │ 201.9 MB/s    │         │
│  ╰─ hand_written  4.112 ms      │ 9.677 ms      │ 4.26 ms       │ 5.817 ms      │ 100     │ 100
╰─ encode                         │               │               │               │         │
   ╰─ generated     950 µs        │ 5.999 ms      │ 1.447 ms      │ 1.771 ms      │ 100     │ 100";
        let mut parser = DivanParser::default();
        for line in table.lines() {
            parser.line(line);
        }
        let results = parser.results;
        assert_eq!(results.len(), 3, "{results:?}");
        let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
        let (fast, median) = results["models/decode/generated"];
        assert!(close(fast, 6.846e-3) && close(median, 7.009e-3));
        assert!(close(results["models/decode/hand_written"].1, 4.26e-3));
        assert!(close(results["models/encode/generated"].0, 950e-6));
    }
}
